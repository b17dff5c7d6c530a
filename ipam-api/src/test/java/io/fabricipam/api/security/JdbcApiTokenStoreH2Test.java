package io.fabricipam.api.security;

import io.fabricipam.apitest.MigratedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class JdbcApiTokenStoreH2Test extends JdbcApiTokenStoreSuite {

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
