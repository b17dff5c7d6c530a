package io.fabricipam.api.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link ScopeDeletionSuite} on the embedded H2 (PostgreSQL mode), as the application's default. */
class ScopeDeletionH2Test extends ScopeDeletionSuite {

    private static TestDatabase database;

    @BeforeAll
    static void open() {
        database = TestDatabase.h2Memory();
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    TestDatabase database() {
        return database;
    }
}
