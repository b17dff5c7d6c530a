-- One counter that every change of scopes, their ranges and reservations bumps in its own transaction. A host
-- that does not write them (a cluster's follower) reads it every half second and reloads what changed when it
-- moves: one indexed row per poll, on H2 and PostgreSQL alike, and nothing is missed across a reconnect, which
-- LISTEN/NOTIFY alone would not promise (issue 10).
CREATE TABLE scope_revision (
    id       INT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);

INSERT INTO scope_revision (id, revision) VALUES (1, 0);
