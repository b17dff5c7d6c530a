package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.store.FencedWriteException;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit straight into the lease store: one writer thread commits whatever has queued up in a single
 * transaction (the {@link CommitQueue} window makes batches larger under load). The mode for a store shared
 * by a cluster (PostgreSQL), where a change must be in the shared store before it is acknowledged.
 *
 * <p>A change the store refuses fails its reply (its request is answered by nobody and the client asks
 * again), including a change of a scope deleted meanwhile ({@code UnknownScopeException}); so nothing
 * acknowledged is ever unstored here, and {@link #unstored()} is always empty.
 *
 * <p>A store fenced by a leader epoch that refuses the writer ({@link FencedWriteException}: another host
 * has become the leader) fails every reply of the batch with it at once: the batch is not retried request
 * by request, since the writer, not a change, is refused. Nothing of it is stored and no reply leaves.
 */
public final class StoreLeaseJournal implements LeaseJournal {

    private static final Logger log = LoggerFactory.getLogger(StoreLeaseJournal.class);

    private final LeaseStore store;
    private final PendingChanges pending;
    private final Thread writer;
    private final StoreProgress progress = new StoreProgress();
    private volatile long commits;
    private volatile long committedChanges;

    public StoreLeaseJournal(LeaseStore store, int maxBatch) {
        this(store, maxBatch, Duration.ZERO);
    }

    /** @param window longest wait for more changes before a commit when under load (zero: never wait) */
    public StoreLeaseJournal(LeaseStore store, int maxBatch, Duration window) {
        this.store = store;
        this.pending = new PendingChanges(maxBatch, window);
        this.writer = new Thread(this::run, "lease-journal");
        this.writer.setDaemon(true);
    }

    @Override
    public synchronized void start() {
        pending.requireLatent();
        pending.open();
        writer.start();
    }

    @Override
    public CompletableFuture<Void> append(List<LeaseChange> changes) {
        return pending.append(changes);
    }

    private void run() {
        pending.drain(this::commit);
    }

    private void commit(List<PendingChanges.Entry> batch) {
        try {
            commitAll(batch);
        } finally {
            progress.settle(batch.get(batch.size() - 1).ticket()); // stored, or failed: either way settled
        }
    }

    private void commitAll(List<PendingChanges.Entry> batch) {
        List<LeaseChange> all = new ArrayList<>();
        for (PendingChanges.Entry e : batch) {
            all.addAll(e.changes());
        }
        try {
            store.apply(all);
            commits++;
            committedChanges += all.size();
            batch.forEach(e -> e.done().complete(null));
        } catch (FencedWriteException fenced) {
            failFenced(batch, fenced);
        } catch (RuntimeException batchFailure) {
            // One bad change must not sink its neighbours: retry each request's changes on its own.
            log.warn("lease batch of {} changes failed ({}); retrying one request at a time", all.size(),
                    batchFailure.toString());
            for (int i = 0; i < batch.size(); i++) {
                PendingChanges.Entry e = batch.get(i);
                try {
                    store.apply(e.changes());
                    commits++;
                    committedChanges += e.changes().size();
                    e.done().complete(null);
                } catch (FencedWriteException fenced) {
                    failFenced(batch.subList(i, batch.size()), fenced);
                    return;
                } catch (RuntimeException failure) {
                    log.error("lease change not committed: {}", e.changes(), failure);
                    e.done().completeExceptionally(failure);
                }
            }
        }
    }

    private static void failFenced(List<PendingChanges.Entry> entries, FencedWriteException fenced) {
        log.error("{} lease change request(s) not committed, no reply sent: {}", entries.size(), fenced.getMessage());
        entries.forEach(e -> e.done().completeExceptionally(fenced));
    }

    /**
     * Waits until every change appended before the call is committed (or failed, its reply not sent):
     * appends queued or in a transaction under way count as not yet stored.
     */
    @Override
    public boolean awaitStored(Duration timeout) {
        return progress.awaitSettled(pending.appended(), timeout);
    }

    @Override
    public Status status() {
        return new Status("database", null, committedChanges, committedChanges, pending.size(), 0, 0, 0, 0);
    }

    @Override
    public List<Unstored> unstored() {
        return List.of();
    }

    @Override
    public RetryOutcome retryUnstored() {
        return RetryOutcome.NOTHING;
    }

    @Override
    public Optional<Unstored> discardUnstored(long sequence) {
        return Optional.empty();
    }

    @Override
    public boolean isRunning() {
        return pending.state() == PendingChanges.State.STARTED && writer.isAlive();
    }

    @Override
    public int backlog() {
        return pending.size();
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
    public synchronized void close() { // waits for a start() under way
        if (pending.close() != PendingChanges.State.STARTED) {
            return; // never started, or closed before
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
