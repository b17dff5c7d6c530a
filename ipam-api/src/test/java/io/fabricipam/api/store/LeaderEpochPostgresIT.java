package io.fabricipam.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leader epoch suite on a private PostgreSQL; skipped where it is not installed, failed there in CI (Tools). */
@EnabledIf(value = "io.fabricipam.api.store.TestPostgres#installed",
        disabledReason = "PostgreSQL is not installed (apt-get install -y postgresql)")
class LeaderEpochPostgresIT extends LeaderEpochSuite {

    @RegisterExtension
    static final PrivatePostgres<TestDatabase> POSTGRES = new PrivatePostgres<>(TestDatabase::at);

    @Override
    TestDatabase database() {
        return POSTGRES.database();
    }

    @Override
    int sessionsWaitingForALock(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                + " WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * An old leader frozen inside its transaction (a long GC pause, SIGSTOP) holds the epoch row: PostgreSQL ends
     * its session after {@link LeaderFence#WRITER_IDLE_LIMIT}, so the takeover waits that long at most, and the
     * frozen write can never commit.
     */
    @Test
    void aTakeoverWaitsForAFrozenOldLeaderAtMostTheIdleLimit() throws Exception {
        long mine = epochs().claim("host-a");
        try (Connection frozen = database().dataSource().getConnection()) {
            frozen.setAutoCommit(false);
            new LeaderFence(() -> mine).check(frozen); // passed its check, then froze
            long start = System.nanoTime();

            assertThat(epochs().claim("host-b")).isEqualTo(2);

            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("a takeover behind a frozen old leader's transaction waited %d ms (idle limit %d ms)%n",
                    waited.toMillis(), LeaderFence.WRITER_IDLE_LIMIT.toMillis());
            assertThat(waited).isLessThan(LeaderFence.WRITER_IDLE_LIMIT.plusSeconds(5));
            assertThatThrownBy(() -> {
                try (Statement s = frozen.createStatement()) {
                    s.executeUpdate("UPDATE lease_journal SET position = 99 WHERE id = 1");
                }
                frozen.commit();
            }).as("the frozen transaction was ended by the server").isInstanceOf(SQLException.class);
        }
        assertThat(unfenced().journalPosition()).isZero();
    }
}
