-- How far the lease store has caught up with the lease journal (the append-only file every
-- acknowledged lease change is written to before its reply leaves). Updated in the same
-- transaction as the changes it covers, so a replay after a crash starts exactly after them.
CREATE TABLE lease_journal (
    id       INTEGER NOT NULL,
    position BIGINT  NOT NULL,
    CONSTRAINT lease_journal_pk PRIMARY KEY (id),
    CONSTRAINT lease_journal_one_row CHECK (id = 1)
);

INSERT INTO lease_journal (id, position) VALUES (1, 0);
