package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of lease changes. Callers enqueue under their scope lock (so per-address order is the order
 * of decisions) and get a future that completes once the change is durable; one writer thread commits
 * whatever has queued up in a single transaction. A commit costs ~150 us on H2 whatever its size, so
 * batching is what lets every acknowledged lease be durable at thousands of leases per second.
 *
 * <p>Under load the writer waits up to {@code window} for more changes before committing (PostgreSQL's
 * commit_delay, made adaptive): measured here, H2 spends ~1 ms per lease at one change per commit and
 * ~0.1 ms at 16-32, and writes a tenth of the bytes. "Under load" means this batch or the previous one
 * already held more than one request (PostgreSQL's commit_siblings idea), so a lone client never waits.
 *
 * <p>Lifecycle, as Curator's recipes: LATENT -> {@link #start()} -> STARTED -> {@link #close()} -> CLOSED.
 * Close commits what is queued, then stops; appends after close fail at once.
 */
public final class LeaseJournal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseJournal.class);

    enum State { LATENT, STARTED, CLOSED }

    private record Entry(List<LeaseChange> changes, CompletableFuture<Void> done) {
    }

    private final LeaseStore store;
    private final int maxBatch;
    private final long windowNanos;
    /** Size of the previous batch; the writer thread's own. */
    private int previousBatch;
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile State state = State.LATENT;
    private volatile long commits;
    private volatile long committedChanges;

    public LeaseJournal(LeaseStore store, int maxBatch) {
        this(store, maxBatch, java.time.Duration.ZERO);
    }

    /** @param window longest wait for more changes before a commit when under load (zero: never wait) */
    public LeaseJournal(LeaseStore store, int maxBatch, java.time.Duration window) {
        this.store = store;
        this.maxBatch = maxBatch;
        this.windowNanos = window.toNanos();
        this.writer = new Thread(this::run, "lease-journal");
        this.writer.setDaemon(true);
    }

    public synchronized void start() {
        if (state != State.LATENT) {
            throw new IllegalStateException("journal is " + state);
        }
        state = State.STARTED;
        writer.start();
    }

    /** Enqueues durable changes; the future completes when they are committed, exceptionally if they are not. */
    public CompletableFuture<Void> append(List<LeaseChange> changes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) { // against close(): nothing may be queued once the writer may have left
            if (state != State.STARTED) {
                done.completeExceptionally(new IllegalStateException("lease journal is " + state));
                return done;
            }
            queue.add(new Entry(changes, done));
        }
        return done;
    }

    private void run() {
        List<Entry> batch = new ArrayList<>(maxBatch);
        while (state == State.STARTED || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                gatherMore(batch);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Entry left;
        while ((left = queue.poll()) != null) {
            left.done.completeExceptionally(new IllegalStateException("lease journal closed"));
        }
    }

    /** Under load, waits up to the window for more changes, so that one commit carries many. */
    private void gatherMore(List<Entry> batch) throws InterruptedException {
        boolean busy = batch.size() > 1 || previousBatch > 1;
        try {
            if (windowNanos > 0 && busy) {
                waitForMore(batch);
            }
        } finally {
            previousBatch = batch.size();
        }
    }

    private void waitForMore(List<Entry> batch) throws InterruptedException {
        long deadline = System.nanoTime() + windowNanos;
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Entry next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
    }

    private void commit(List<Entry> batch) {
        List<LeaseChange> all = new ArrayList<>();
        for (Entry e : batch) {
            all.addAll(e.changes);
        }
        try {
            store.apply(all);
            commits++;
            committedChanges += all.size();
            batch.forEach(e -> e.done.complete(null));
        } catch (RuntimeException batchFailure) {
            // One bad change must not sink its neighbours: retry each request's changes on its own.
            log.warn("lease batch of {} changes failed ({}); retrying one request at a time", all.size(),
                    batchFailure.toString());
            for (Entry e : batch) {
                try {
                    store.apply(e.changes);
                    commits++;
                    committedChanges += e.changes.size();
                    e.done.complete(null);
                } catch (RuntimeException failure) {
                    log.error("lease change not committed: {}", e.changes, failure);
                    e.done.completeExceptionally(failure);
                }
            }
        }
    }

    public long commits() {
        return commits;
    }

    public long committedChanges() {
        return committedChanges;
    }

    /** STARTED: appends are accepted and committed. */
    public boolean isRunning() {
        return state == State.STARTED && writer.isAlive();
    }

    public int backlog() {
        return queue.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            State was = state;
            state = State.CLOSED;
            if (was == State.LATENT) {
                return;
            }
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
