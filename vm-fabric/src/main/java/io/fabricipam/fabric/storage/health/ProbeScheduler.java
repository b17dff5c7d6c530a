package io.fabricipam.fabric.storage.health;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads every {@link TargetProber} of a fabric shares, instead of a thread per target: a
 * probe tick is a short blocking exchange (a NOP-Out and its answer, or a reconnect) bounded by the
 * probe timeout, run on one of two small fixed pools, the <em>lanes</em>:
 * <ul>
 *   <li>{@link Lane#ANSWERING}: targets whose last tick was answered. Their ticks take about a round
 *       trip, so {@value #ANSWERING_THREADS} threads keep hundreds of targets on schedule.</li>
 *   <li>{@link Lane#SILENT}: targets not answering (down, hung, black-holed, never reached). Each of
 *       their ticks can hold a thread for up to the probe timeout, so they wait among themselves and
 *       never in front of a healthy target.</li>
 * </ul>
 * A target that hangs costs the answering lane one timeout (the tick that finds out), then moves to the
 * silent lane until it answers again. Each prober keeps at most one tick scheduled or running, so a slow
 * target never piles up ticks. Threads: at most {@value #ANSWERING_THREADS} + {@value #SILENT_THREADS},
 * created on first use, named {@code storage-probe-answering-N} and {@code storage-probe-silent-N}.
 *
 * <p>Lifecycle: open from construction; {@link #close()} stops both pools (terminal, idempotent); a tick
 * scheduled after that is refused.
 */
public final class ProbeScheduler implements AutoCloseable {

    public static final int ANSWERING_THREADS = 2;
    public static final int SILENT_THREADS = 2;
    /** Every probe thread's name starts with this. */
    public static final String THREAD_PREFIX = "storage-probe-";

    /** Which pool a tick runs on: by whether the target answered its last tick. */
    public enum Lane { ANSWERING, SILENT }

    private final ScheduledThreadPoolExecutor answering;
    private final ScheduledThreadPoolExecutor silent;

    public ProbeScheduler() {
        this(ANSWERING_THREADS, SILENT_THREADS);
    }

    ProbeScheduler(int answeringThreads, int silentThreads) {
        this.answering = pool(answeringThreads, "answering");
        this.silent = pool(silentThreads, "silent");
    }

    private static ScheduledThreadPoolExecutor pool(int threads, String lane) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, THREAD_PREFIX + lane + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, factory);
        pool.setRemoveOnCancelPolicy(true); // a removed target leaves no tick behind
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return pool;
    }

    /**
     * Runs {@code tick} once on {@code lane} after {@code delayNanos}.
     *
     * @throws RejectedExecutionException after {@link #close()}
     */
    public ScheduledFuture<?> schedule(Lane lane, Runnable tick, long delayNanos) {
        return (lane == Lane.ANSWERING ? answering : silent).schedule(tick, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /** Threads started so far, both lanes together (never more than their sum). */
    public int threads() {
        return answering.getPoolSize() + silent.getPoolSize();
    }

    public boolean isClosed() {
        return answering.isShutdown();
    }

    /** Stops both lanes; a tick in progress is interrupted (its prober closes its socket too). Idempotent. */
    @Override
    public void close() {
        answering.shutdownNow();
        silent.shutdownNow();
        try {
            answering.awaitTermination(2, TimeUnit.SECONDS);
            silent.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
