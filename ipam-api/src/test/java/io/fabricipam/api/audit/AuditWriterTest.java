package io.fabricipam.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.apitest.MigratedDatabase;
import java.time.Duration;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The background writer on a real (H2) table: bounded, never blocking, losing only what it counts. */
class AuditWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private MigratedDatabase database;
    private AuditWriter writer;

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
        database.close();
    }

    private static AuditEvent event(int i) {
        return JdbcAuditStoreSuite.event(T0.plusMillis(i), "w", "POST", "/api/v1/x/" + i, null);
    }

    private int rows() {
        return new JdbcAuditStore(database.dataSource()).query(new AuditQuery(null, null, null, 1000)).size();
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() {
        database = MigratedDatabase.h2Memory();
        // Not started yet: nothing takes from the queue, so the third event finds it full.
        writer = new AuditWriter(new JdbcAuditStore(database.dataSource()), 2, 10);
        writer.record(event(1));
        writer.record(event(2));
        writer.record(event(3));
        assertThat(writer.dropped()).isEqualTo(1);

        writer.start();
        assertThat(writer.flush(WAIT)).isTrue();
        assertThat(rows()).isEqualTo(2);
        assertThat(writer.lost()).isZero();
    }

    @Test
    void writesEverythingQueuedInBatches() {
        database = MigratedDatabase.h2Memory();
        writer = new AuditWriter(new JdbcAuditStore(database.dataSource()), 100, 7);
        for (int i = 0; i < 50; i++) {
            writer.record(event(i));
        }
        writer.start();
        for (int i = 50; i < 80; i++) {
            writer.record(event(i));
        }
        assertThat(writer.flush(WAIT)).isTrue();
        assertThat(rows()).isEqualTo(80);
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void aFailingDatabaseLosesCountedEventsAndTheWriterCarriesOn() {
        database = MigratedDatabase.h2Unmigrated();
        writer = new AuditWriter(new JdbcAuditStore(database.dataSource()), 100, 10);
        writer.start();
        writer.record(event(1));
        writer.record(event(2));
        assertThat(writer.flush(WAIT)).isTrue();
        assertThat(writer.lost()).isEqualTo(2);

        Flyway.configure().dataSource(database.dataSource()).load().migrate();
        writer.record(event(3));
        assertThat(writer.flush(WAIT)).isTrue();
        assertThat(rows()).isEqualTo(1);
        assertThat(writer.lost()).isEqualTo(2);
    }

    @Test
    void closingWritesWhatIsQueuedAndRefusesTheRest() {
        database = MigratedDatabase.h2Memory();
        writer = new AuditWriter(new JdbcAuditStore(database.dataSource()), 100, 10);
        for (int i = 0; i < 5; i++) {
            writer.record(event(i));
        }
        writer.start();
        writer.close();
        assertThat(rows()).isEqualTo(5);

        writer.record(event(6));
        assertThat(writer.dropped()).isEqualTo(1);
    }
}
