package io.fabricipam.api.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class LeaderEpochH2Test extends LeaderEpochSuite {

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

    @Override
    int sessionsWaitingForALock(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.sessions WHERE blocker_id IS NOT NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
