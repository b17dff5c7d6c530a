-- Scopes, reservations, leases and lease history. Runs unchanged on H2 2.3 (MODE=PostgreSQL) and
-- PostgreSQL 15: standard types only, no quoted identifiers, no dialect functions.
--
-- IPv4 addresses are BIGINT holding the unsigned 32-bit value, so that ORDER BY and BETWEEN follow address
-- order (a signed INTEGER would put 128.0.0.0 and up before 0.0.0.0). MAC addresses are their canonical
-- lower-case text (02:00:00:00:00:01), readable in ad-hoc queries. Times are TIMESTAMP(3) WITH TIME ZONE:
-- the stores keep milliseconds, and the zone makes the column independent of the server's time zone.
-- Free text has no width limit (VARCHAR without a length): a limit that the callers do not check would turn
-- an unusual value into a failed DHCP exchange. The host name is the exception; DHCP option 12 bounds it.

CREATE TABLE scope (
    id                UUID         NOT NULL,
    name              VARCHAR      NOT NULL,
    network           BIGINT       NOT NULL,
    prefix            SMALLINT     NOT NULL,
    gateway           BIGINT,
    vlan              INTEGER      NOT NULL,
    lease_seconds     BIGINT       NOT NULL,
    renewal_seconds   BIGINT,
    rebinding_seconds BIGINT,
    server_identifier BIGINT,
    server_mac        VARCHAR(17),
    -- ScopeOptions as JSON: read and written whole, never queried, and free to grow without a migration.
    options           VARCHAR      NOT NULL,
    version           BIGINT       NOT NULL,
    created_at        TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    CONSTRAINT scope_pk PRIMARY KEY (id),
    CONSTRAINT scope_name_unique UNIQUE (name),
    CONSTRAINT scope_network_ipv4 CHECK (network BETWEEN 0 AND 4294967295 AND prefix BETWEEN 0 AND 32),
    CONSTRAINT scope_gateway_ipv4 CHECK (gateway BETWEEN 0 AND 4294967295),
    CONSTRAINT scope_server_ipv4 CHECK (server_identifier BETWEEN 0 AND 4294967295)
);

-- Pools and exclusions keep the order they were given in (ordinal), as the API shows them back.
CREATE TABLE scope_pool (
    scope_id      UUID    NOT NULL,
    ordinal       INTEGER NOT NULL,
    first_address BIGINT  NOT NULL,
    last_address  BIGINT  NOT NULL,
    CONSTRAINT scope_pool_pk PRIMARY KEY (scope_id, ordinal),
    CONSTRAINT scope_pool_scope_fk FOREIGN KEY (scope_id) REFERENCES scope (id) ON DELETE CASCADE,
    CONSTRAINT scope_pool_range CHECK (0 <= first_address AND first_address <= last_address AND last_address <= 4294967295)
);

CREATE TABLE scope_exclusion (
    scope_id      UUID    NOT NULL,
    ordinal       INTEGER NOT NULL,
    first_address BIGINT  NOT NULL,
    last_address  BIGINT  NOT NULL,
    CONSTRAINT scope_exclusion_pk PRIMARY KEY (scope_id, ordinal),
    CONSTRAINT scope_exclusion_scope_fk FOREIGN KEY (scope_id) REFERENCES scope (id) ON DELETE CASCADE,
    CONSTRAINT scope_exclusion_range CHECK (0 <= first_address AND first_address <= last_address AND last_address <= 4294967295)
);

-- One MAC -> one address per scope, and one address -> one MAC per scope.
CREATE TABLE reservation (
    scope_id UUID         NOT NULL,
    mac      VARCHAR(17)  NOT NULL,
    address  BIGINT       NOT NULL,
    hostname VARCHAR(255),
    CONSTRAINT reservation_pk PRIMARY KEY (scope_id, mac),
    CONSTRAINT reservation_address_unique UNIQUE (scope_id, address),
    CONSTRAINT reservation_scope_fk FOREIGN KEY (scope_id) REFERENCES scope (id) ON DELETE CASCADE,
    CONSTRAINT reservation_ipv4 CHECK (address BETWEEN 0 AND 4294967295)
);

-- The lease row of each address. No foreign key to scope: leases belong to the LeaseStore, which works
-- on its own (and the DHCP hot path should not pay for a parent lookup); the registry removes a scope's
-- leases before the scope itself.
CREATE TABLE lease (
    scope_id   UUID         NOT NULL,
    address    BIGINT       NOT NULL,
    client_key VARCHAR,                  -- id:<hex> (option 61) or hw:<hex>, see ClientKey
    mac        VARCHAR(17),
    hostname   VARCHAR(255),             -- DHCP option 12 carries at most 255 bytes (LeaseStoreContract)
    state      VARCHAR(16)  NOT NULL,
    started_at TIMESTAMP(3) WITH TIME ZONE,
    expires_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    seen_on    VARCHAR,
    CONSTRAINT lease_pk PRIMARY KEY (scope_id, address),
    CONSTRAINT lease_ipv4 CHECK (address BETWEEN 0 AND 4294967295)
);

-- Who got what, when, where. Append-only and kept after its lease row and scope are gone, for audit;
-- the identity gives the order of application ("newest first" is id descending).
CREATE TABLE lease_event (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    scope_id    UUID         NOT NULL,
    address     BIGINT       NOT NULL,
    event_type  VARCHAR(32)  NOT NULL,
    client_key  VARCHAR,
    mac         VARCHAR(17),
    occurred_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP(3) WITH TIME ZONE,
    seen_on     VARCHAR,
    detail      VARCHAR,
    CONSTRAINT lease_event_pk PRIMARY KEY (id)
);

-- The id last in both indexes, so that "newest first, limit n" is a backward index range scan.
CREATE INDEX lease_event_by_address ON lease_event (scope_id, address, id);
CREATE INDEX lease_event_by_mac ON lease_event (mac, id);
