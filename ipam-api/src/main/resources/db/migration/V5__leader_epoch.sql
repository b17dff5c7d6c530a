-- Fencing of the lease writers of a cluster (several hosts, one leader, a shared PostgreSQL). Same rules as V1:
-- runs unchanged on H2 2.3 (MODE=PostgreSQL) and PostgreSQL 15, standard SQL only.

-- The leader epoch: bumped by one, with the host that claimed it, in the transaction of every takeover
-- (JdbcLeaderEpochStore.claim). A fenced lease writer reads it with a row lock in the transaction of each
-- lease change and refuses to write when it is higher than its own (JdbcLeaseStore): a paused or partitioned
-- old leader can never overwrite what the new one decided. 0: never claimed (a single host, or a new cluster).
CREATE TABLE leader_epoch (
    id         INTEGER NOT NULL,
    epoch      BIGINT  NOT NULL,
    host_id    VARCHAR,
    claimed_at TIMESTAMP(3) WITH TIME ZONE,
    CONSTRAINT leader_epoch_pk PRIMARY KEY (id),
    CONSTRAINT leader_epoch_one_row CHECK (id = 1),
    CONSTRAINT leader_epoch_not_negative CHECK (epoch >= 0)
);

INSERT INTO leader_epoch (id, epoch) VALUES (1, 0);

-- The epoch of the writer of each lease row and event: which leader decided it (0: a single host, or a row
-- from before this migration). A constant default: PostgreSQL 11+ adds such a column without rewriting the table.
ALTER TABLE lease ADD COLUMN epoch BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE lease_event ADD COLUMN epoch BIGINT DEFAULT 0 NOT NULL;
