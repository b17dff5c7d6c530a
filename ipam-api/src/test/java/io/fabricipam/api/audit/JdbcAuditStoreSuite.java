package io.fabricipam.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.apitest.MigratedDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit table's SQL, run on each database the application supports (H2 here, PostgreSQL in the IT). */
abstract class JdbcAuditStoreSuite {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00.123456Z");

    abstract MigratedDatabase database();

    JdbcAuditStore store;

    @BeforeEach
    void empty() {
        database().execute("DELETE FROM audit_event");
        store = new JdbcAuditStore(database().dataSource());
    }

    static AuditEvent event(Instant at, String principal, String method, String path, String summary) {
        return new AuditEvent(null, at, principal, "anonymous".equals(principal) ? null : "ADMIN", method, path, 200, 3,
                "192.0.2.7", summary);
    }

    private static AuditQuery all() {
        return new AuditQuery(null, null, null, 100);
    }

    @Test
    void storesEveryFieldToTheMillisecond() {
        store.insert(List.of(new AuditEvent(null, T0, "ci", "READER", "GET", "/api/v1/scopes?x=1", 200, 12,
                "2001:db8::1", null)));

        AuditEvent stored = store.query(all()).get(0);
        assertThat(stored.id()).isNotNull();
        assertThat(stored).isEqualTo(new AuditEvent(stored.id(), Instant.parse("2026-11-21T10:00:00.123Z"), "ci",
                "READER", "GET", "/api/v1/scopes?x=1", 200, 12, "2001:db8::1", null));
    }

    @Test
    void nullRoleAndSummaryRoundTrip() {
        store.insert(List.of(event(T0, "anonymous", "POST", "/api/v1/scopes", "long ".repeat(300))));
        AuditEvent stored = store.query(all()).get(0);
        assertThat(stored.role()).isNull();
        assertThat(stored.summary()).hasSize(1500);
    }

    @Test
    void listsNewestFirstWithFiltersAndALimit() {
        store.insert(List.of(
                event(T0, "a", "GET", "/1", null),
                event(T0.plusSeconds(1), "b", "POST", "/2", "made 2"),
                event(T0.plusSeconds(2), "a", "POST", "/3", "made 3"),
                event(T0.plusSeconds(2), "a", "DELETE", "/4", "gone 4")));

        assertThat(store.query(all())).extracting(AuditEvent::path).containsExactly("/4", "/3", "/2", "/1");
        assertThat(store.query(new AuditQuery("a", null, null, 100))).extracting(AuditEvent::path).containsExactly("/4", "/3", "/1");
        assertThat(store.query(new AuditQuery(null, "POST", null, 100))).extracting(AuditEvent::path).containsExactly("/3", "/2");
        assertThat(store.query(new AuditQuery(null, null, T0.plusSeconds(1), 100))).extracting(AuditEvent::path)
                .containsExactly("/4", "/3", "/2");
        assertThat(store.query(new AuditQuery("a", "POST", T0, 100))).extracting(AuditEvent::path).containsExactly("/3");
        assertThat(store.query(new AuditQuery(null, null, null, 2))).extracting(AuditEvent::path).containsExactly("/4", "/3");
        assertThat(store.query(new AuditQuery("nobody", null, null, 100))).isEmpty();
    }

    @Test
    void deletesOnlyRowsBeforeTheCutoff() {
        store.insert(List.of(
                event(T0.minus(Duration.ofDays(91)), "a", "GET", "/old", null),
                event(T0.minus(Duration.ofDays(90)), "a", "GET", "/edge", null),
                event(T0, "a", "GET", "/new", null)));

        assertThat(store.deleteBefore(T0.minus(Duration.ofDays(90)))).isEqualTo(1);
        assertThat(store.query(all())).extracting(AuditEvent::path).containsExactly("/new", "/edge");
    }

    @Test
    void aLargeBatchGoesInWhole() {
        List<AuditEvent> batch = java.util.stream.IntStream.range(0, 1200)
                .mapToObj(i -> event(T0.plusMillis(i), "bulk", "GET", "/" + i, null)).toList();
        store.insert(batch);
        assertThat(store.query(new AuditQuery("bulk", null, null, 1000))).hasSize(1000)
                .first().extracting(AuditEvent::path).isEqualTo("/1199");
    }
}
