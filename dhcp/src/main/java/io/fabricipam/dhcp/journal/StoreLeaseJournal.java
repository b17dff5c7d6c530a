package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit straight into the lease store: one writer thread commits whatever has queued up in a single
 * transaction (the {@link CommitQueue} window makes batches larger under load). The mode for a store shared
 * by a cluster (PostgreSQL), where a change must be in the shared store before it is acknowledged.
 */
public final class StoreLeaseJournal implements LeaseJournal {

    private static final Logger log = LoggerFactory.getLogger(StoreLeaseJournal.class);

    enum State { LATENT, STARTED, CLOSED }

    private record Entry(List<LeaseChange> changes, CompletableFuture<Void> done) {
    }

    private final LeaseStore store;
    private final CommitQueue<Entry> queue;
    private final Thread writer;
    private volatile State state = State.LATENT;
    private volatile long commits;
    private volatile long committedChanges;

    public StoreLeaseJournal(LeaseStore store, int maxBatch) {
        this(store, maxBatch, Duration.ZERO);
    }

    /** @param window longest wait for more changes before a commit when under load (zero: never wait) */
    public StoreLeaseJournal(LeaseStore store, int maxBatch, Duration window) {
        this.store = store;
        this.queue = new CommitQueue<>(maxBatch, window);
        this.writer = new Thread(this::run, "lease-journal");
        this.writer.setDaemon(true);
    }

    @Override
    public synchronized void start() {
        if (state != State.LATENT) {
            throw new IllegalStateException("journal is " + state);
        }
        state = State.STARTED;
        writer.start();
    }

    @Override
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
        List<Entry> batch = new ArrayList<>();
        while (state == State.STARTED || !queue.isEmpty()) {
            try {
                if (queue.take(batch, 100, TimeUnit.MILLISECONDS)) {
                    commit(batch);
                }
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

    @Override
    public boolean awaitStored(Duration timeout) {
        return true; // every acknowledged change is in the store already
    }

    @Override
    public boolean isRunning() {
        return state == State.STARTED && writer.isAlive();
    }

    @Override
    public int backlog() {
        return queue.size();
    }

    @Override
    public long storeBacklog() {
        return 0;
    }

    @Override
    public long commits() {
        return commits;
    }

    @Override
    public long committedChanges() {
        return committedChanges;
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
