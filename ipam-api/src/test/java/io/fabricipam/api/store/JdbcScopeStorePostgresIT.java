package io.fabricipam.api.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;

/** The scope store suite on a private PostgreSQL 15; skipped when PostgreSQL is not installed. */
@EnabledIf(value = "io.fabricipam.api.store.PostgresServer#installed",
        disabledReason = "PostgreSQL 15 is not installed (apt-get install -y postgresql)")
class JdbcScopeStorePostgresIT extends JdbcScopeStoreSuite {

    private static PostgresServer server;
    private static TestDatabase database;

    @BeforeAll
    static void start() {
        server = PostgresServer.startOrSkip();
        database = TestDatabase.at(server.jdbcUrl(), PostgresServer.USER);
    }

    @AfterAll
    static void stop() {
        try {
            if (database != null) {
                database.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Override
    TestDatabase database() {
        return database;
    }
}
