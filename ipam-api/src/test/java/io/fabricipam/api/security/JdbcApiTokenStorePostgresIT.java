package io.fabricipam.api.security;

import io.fabricipam.api.store.TestPostgres;
import io.fabricipam.apitest.MigratedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;

/** The token table's SQL on a private PostgreSQL 15; skipped when PostgreSQL is not installed. */
@EnabledIf(value = "io.fabricipam.api.store.TestPostgres#installed",
        disabledReason = "PostgreSQL 15 is not installed (apt-get install -y postgresql)")
class JdbcApiTokenStorePostgresIT extends JdbcApiTokenStoreSuite {

    private static TestPostgres server;
    private static MigratedDatabase database;

    @BeforeAll
    static void start() {
        server = TestPostgres.startOrSkip();
        database = MigratedDatabase.at(server.jdbcUrl(), server.user());
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
    MigratedDatabase database() {
        return database;
    }
}
