package io.fabricipam.api.store;

/**
 * {@link PostgresServer} for tests in other packages (the token and audit stores), which cannot see the
 * package-private server. Same behaviour: a private PostgreSQL 15, skipped where it is not installed.
 */
public final class TestPostgres implements AutoCloseable {

    private final PostgresServer server;

    private TestPostgres(PostgresServer server) {
        this.server = server;
    }

    /** For {@code @EnabledIf("io.fabricipam.api.store.TestPostgres#installed")}. */
    public static boolean installed() {
        return PostgresServer.installed();
    }

    public static TestPostgres startOrSkip() {
        return new TestPostgres(PostgresServer.startOrSkip());
    }

    public String jdbcUrl() {
        return server.jdbcUrl();
    }

    public String user() {
        return PostgresServer.USER;
    }

    @Override
    public void close() {
        server.close();
    }
}
