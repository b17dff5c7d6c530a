package io.fabricipam.api.audit;

import io.fabricipam.apitest.MigratedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class JdbcAuditStoreH2Test extends JdbcAuditStoreSuite {

    private static MigratedDatabase database;

    @BeforeAll
    static void open() {
        database = MigratedDatabase.h2Memory();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    MigratedDatabase database() {
        return database;
    }
}
