package io.fabricipam.dhcp.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where a test double's write stops: {@link #close()} makes the next writes wait until {@link #open()} (or
 * a safety limit, so a broken test cannot hang the build); {@link #failNext} makes the next write throw.
 * Thread-safe.
 */
public final class WriteGate {

    /** Nothing in a unit test should wait longer than this at a gate. */
    static final Duration SAFETY_LIMIT = Duration.ofSeconds(60);

    private volatile CountDownLatch gate;
    private volatile CountDownLatch reached = new CountDownLatch(1);
    private volatile RuntimeException failure;

    /** Writes from now on wait at the gate. */
    public void close() {
        reached = new CountDownLatch(1);
        gate = new CountDownLatch(1);
    }

    /** Lets waiting and later writes through. */
    public void open() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** The next write throws {@code failure} (once). */
    public void failNext(RuntimeException failure) {
        this.failure = failure;
    }

    /** True once a write waits at the closed gate (within {@code timeout}). */
    public boolean awaitWriter(Duration timeout) throws InterruptedException {
        return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called by the double before each write. */
    public void pass() {
        CountDownLatch g = gate;
        if (g != null) {
            reached.countDown();
            try {
                if (!g.await(SAFETY_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("a test left a write gate closed for " + SAFETY_LIMIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at a write gate", e);
            }
        }
        RuntimeException f = failure;
        if (f != null) {
            failure = null;
            throw f;
        }
    }
}
