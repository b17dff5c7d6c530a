package io.fabricipam.api.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events in the background: requests hand them over in a non-blocking {@code offer} to a
 * bounded queue, and one thread inserts them in batches. The audit must never slow down or fail the API,
 * so a full queue or a failing database loses events, counted and logged (at most a warning a minute), and
 * the request goes on.
 *
 * <p>Lifecycle: {@link #start()} starts the writer thread; {@link #close()} stops taking events, writes what
 * is queued (for a few seconds at most) and ends the thread.
 */
final class AuditWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    /** How long the idle writer sleeps before it looks at the closing flag again. */
    private static final long POLL_MILLIS = 250;
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final JdbcAuditStore store;
    private final BlockingQueue<AuditEvent> queue;
    private final int batchSize;
    private final Thread thread;
    private volatile boolean closing;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong lastWarningNanos = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS);
    /** Events written or lost; guarded by this, which {@link #flush} waits on. */
    private long finished;

    AuditWriter(JdbcAuditStore store, int capacity, int batchSize) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.thread = new Thread(this::run, "audit-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues the event; never blocks. A full queue (or a closed writer) drops it, counted. */
    void record(AuditEvent event) {
        if (!closing && queue.offer(event)) {
            accepted.incrementAndGet();
            return;
        }
        long total = dropped.incrementAndGet();
        warnAtMostOncePerInterval("Audit queue full ({} waiting): dropped an audit event of {} {}; {} dropped in all."
                + " Raise fabric.api.audit-queue-capacity or check the database.", queue.size(), event.method(),
                event.path(), total);
    }

    /** Events refused because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    /** Events taken but not stored because the database refused them. */
    long lost() {
        return lost.get();
    }

    /**
     * Waits until every event recorded before this call is written (or lost). Tests use it to look at the
     * table; it is not needed for correctness.
     *
     * @return false when the timeout came first
     */
    boolean flush(Duration timeout) {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (finished < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void run() {
        List<AuditEvent> batch = new ArrayList<>(batchSize);
        while (true) {
            AuditEvent first;
            try {
                // A timed poll, not take() and an interrupt on close: an interrupt inside JDBC can break the
                // connection (H2 closes its file channel).
                first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, batchSize - 1);
            write(batch);
            batch.clear();
        }
    }

    private void write(List<AuditEvent> batch) {
        try {
            store.insert(batch);
        } catch (RuntimeException e) {
            long total = lost.addAndGet(batch.size());
            warnAtMostOncePerInterval("Could not store {} audit events ({} lost in all): {}", batch.size(), total,
                    e.getMessage());
        } finally {
            synchronized (this) {
                finished += batch.size();
                notifyAll();
            }
        }
    }

    private void warnAtMostOncePerInterval(String format, Object... args) {
        long now = System.nanoTime();
        long last = lastWarningNanos.get();
        if (now - last >= WARNING_INTERVAL_NANOS && lastWarningNanos.compareAndSet(last, now)) {
            log.warn(format, args);
        }
    }

    @Override
    public void close() {
        closing = true;
        if (thread.isAlive()) {
            try {
                thread.join(CLOSE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int left = queue.size();
        if (left > 0) {
            log.warn("Stopped with {} audit events not written", left);
        }
    }
}
