-- A lease row belongs to its scope, and the lease journal to its database. Same rules as V1: runs unchanged
-- on H2 2.3 (MODE=PostgreSQL) and PostgreSQL 15, standard SQL only.

-- Lease rows whose scope is gone: left by a lease change committed after its scope was deleted (V1 had no
-- foreign key). They belong to nothing and no DHCP exchange can reach them; their history stays in
-- lease_event, which keeps no foreign key on purpose: the history outlives scopes, for audit.
DELETE FROM lease WHERE NOT EXISTS (SELECT 1 FROM scope s WHERE s.id = lease.scope_id);

-- From now on an orphan row is impossible: a row of a missing scope is refused (the lease store reports
-- it as an unknown scope), and deleting a scope deletes its rows. The primary key (scope_id, address)
-- leads with scope_id, so the cascade needs no index of its own.
ALTER TABLE lease ADD CONSTRAINT lease_scope_fk FOREIGN KEY (scope_id) REFERENCES scope (id) ON DELETE CASCADE;

-- The identity of the lease journal (a random UUID, also in the journal directory's IDENTITY file) that
-- feeds this database, set by the journal at its first start. A journal replays only into the database it
-- is bound to: a data directory paired with another database is refused at start instead of replaying
-- another database's changes. NULL: never bound (a new database, or one from before this migration).
ALTER TABLE lease_journal ADD COLUMN journal_id UUID;
