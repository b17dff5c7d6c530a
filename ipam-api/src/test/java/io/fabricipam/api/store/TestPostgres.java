package io.fabricipam.api.store;

import io.fabricipam.testing.PostgresServer;
import io.fabricipam.testing.Tools;

/**
 * A private PostgreSQL for the store, token and audit SQL tests ({@link PostgresServer} of test-support, with
 * durability off: these tests check SQL, not crashes). Where PostgreSQL is not installed the tests are skipped,
 * or fail where tools are required ({@link Tools}: CI=true, or {@code scripts/test}).
 */
public final class TestPostgres implements AutoCloseable {

    private final PostgresServer server;

    private TestPostgres(PostgresServer server) {
        this.server = server;
    }

    /**
     * For {@code @EnabledIf("io.fabricipam.api.store.TestPostgres#installed")}: a disabled class is reported as
     * skipped with its reason, where an assumption failing in {@code @BeforeAll} would leave the report at "0
     * tests run". Where tools are required the class is enabled whatever is installed, so that a missing
     * PostgreSQL fails it when {@link #startOrSkip()} runs.
     */
    public static boolean installed() {
        boolean installed = PostgresServer.installed();
        if (!installed && !Tools.required()) {
            System.err.println("PostgreSQL is not installed: skipping the PostgreSQL tests."
                    + " Install it with: apt-get install -y postgresql");
        }
        return installed || Tools.required();
    }

    /** Starts a server, or skips the calling test (fails it where tools are required) where it cannot run. */
    public static TestPostgres startOrSkip() {
        return new TestPostgres(PostgresServer.start("ipam", PostgresServer.Durability.OFF));
    }

    public String jdbcUrl() {
        return server.jdbcUrl();
    }

    public String user() {
        return server.user();
    }

    @Override
    public void close() {
        server.close();
    }
}
