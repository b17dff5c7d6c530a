package io.fabricipam.api.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Deletes audit rows older than {@code fabric.api.audit-retention}, a minute after start and then daily.
 * Every node of a cluster does it; the delete is idempotent.
 */
final class AuditRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);
    static final Duration FIRST_RUN = Duration.ofMinutes(1);
    static final Duration INTERVAL = Duration.ofDays(1);

    private final JdbcAuditStore store;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "audit-retention");
        t.setDaemon(true);
        return t;
    });

    AuditRetention(JdbcAuditStore store, Duration retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::purgeQuietly, FIRST_RUN.toMillis(), INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** @return how many rows were deleted */
    int purge() {
        int deleted = store.deleteBefore(clock.instant().minus(retention));
        if (deleted > 0) {
            log.info("Deleted {} audit events older than {}", deleted, retention);
        }
        return deleted;
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (DataAccessException e) {
            // Tomorrow's run deletes these too; a failure must not end the schedule.
            log.warn("Could not delete old audit events: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        // shutdown, not shutdownNow: an interrupt inside JDBC can break the connection (H2 closes its file).
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
