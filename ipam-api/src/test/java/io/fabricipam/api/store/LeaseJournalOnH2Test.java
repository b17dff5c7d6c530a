package io.fabricipam.api.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class LeaseJournalOnH2Test extends LeaseJournalOnDatabaseSuite {

    private static TestDatabase database;

    @BeforeAll
    static void open() {
        database = TestDatabase.h2Memory();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    TestDatabase database() {
        return database;
    }
}
