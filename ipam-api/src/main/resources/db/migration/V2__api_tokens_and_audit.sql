-- API tokens and the request audit. Same rules as V1: runs unchanged on H2 2.3 (MODE=PostgreSQL) and
-- PostgreSQL 15, standard types only, no quoted identifiers, no dialect functions.

-- Bearer tokens of the REST API. Only the SHA-256 of a token is kept (64 lower-case hex digits): the value
-- is shown once, at creation, and a copy of this table grants nothing. Tokens are random (256 bits), so an
-- unsalted hash is enough; the unique hash is also the lookup key. Revoked rows stay, for the audit trail
-- and so that a name is never reused for a different token.
CREATE TABLE api_token (
    id           BIGINT GENERATED ALWAYS AS IDENTITY,
    name         VARCHAR(64)  NOT NULL,
    role         VARCHAR(16)  NOT NULL,
    token_hash   VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP(3) WITH TIME ZONE,
    revoked_at   TIMESTAMP(3) WITH TIME ZONE,
    CONSTRAINT api_token_pk PRIMARY KEY (id),
    CONSTRAINT api_token_name_unique UNIQUE (name),
    CONSTRAINT api_token_hash_unique UNIQUE (token_hash),
    CONSTRAINT api_token_role CHECK (role IN ('READER', 'ADMIN'))
);

-- One row per request to /api/**: who (token name or 'anonymous'), what (method, path and query, status,
-- the handler's summary of a change), when (arrival, duration) and from where. Append-only; rows older than
-- the retention period are deleted daily. Nothing here holds a token or a request body.
CREATE TABLE audit_event (
    id             BIGINT GENERATED ALWAYS AS IDENTITY,
    occurred_at    TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    principal      VARCHAR(64)  NOT NULL,
    role           VARCHAR(16),
    method         VARCHAR(16)  NOT NULL,
    path           VARCHAR      NOT NULL,
    status         INTEGER      NOT NULL,
    duration_ms    BIGINT       NOT NULL,
    remote_address VARCHAR(64),
    summary        VARCHAR,
    CONSTRAINT audit_event_pk PRIMARY KEY (id)
);

-- "Newest first since t" and the retention delete are range scans on time; the id breaks ties in the order.
CREATE INDEX audit_event_by_time ON audit_event (occurred_at, id);
CREATE INDEX audit_event_by_principal ON audit_event (principal, occurred_at);
