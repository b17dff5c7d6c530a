package io.fabricipam.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.apitest.MigratedDatabase;
import io.fabricipam.apitest.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditRetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void deletesRowsOlderThanTheRetention() {
        try (MigratedDatabase database = MigratedDatabase.h2Memory()) {
            JdbcAuditStore store = new JdbcAuditStore(database.dataSource());
            store.insert(List.of(
                    JdbcAuditStoreSuite.event(NOW.minus(Duration.ofDays(120)), "a", "GET", "/older", null),
                    JdbcAuditStoreSuite.event(NOW.minus(Duration.ofDays(90)).minusSeconds(1), "a", "GET", "/old", null),
                    JdbcAuditStoreSuite.event(NOW.minus(Duration.ofDays(89)), "a", "GET", "/kept", null)));
            MutableClock clock = new MutableClock(NOW);
            AuditRetention retention = new AuditRetention(store, Duration.ofDays(90), clock);

            assertThat(retention.purge()).isEqualTo(2);
            assertThat(retention.purge()).isZero();
            clock.advance(Duration.ofDays(2));
            assertThat(retention.purge()).isEqualTo(1);
            assertThat(store.query(new AuditQuery(null, null, null, 10))).isEmpty();
            retention.close();
        }
    }
}
