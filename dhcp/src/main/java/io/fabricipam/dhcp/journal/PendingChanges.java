package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.store.LeaseChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The changes waiting for a journal's writer thread, each with the future its reply waits on, and the
 * journal's lifecycle: {@link State#LATENT} until {@link #open()}, {@link State#STARTED} until
 * {@link #close()}, then {@link State#CLOSED}. Appends are refused (the future fails at once) unless
 * started; {@link #drain} is the writer's loop: it hands over batches until closed and empty, then fails
 * whatever could not be written. Every accepted append gets the next ticket (1, 2, ...), in queue order,
 * so "everything appended so far" is {@link #appended()} and a journal settles tickets in order in its
 * {@link StoreProgress}.
 */
final class PendingChanges {

    enum State { LATENT, STARTED, CLOSED }

    /** One request's changes, the future completed when they are durable, and its ticket. */
    record Entry(List<LeaseChange> changes, CompletableFuture<Void> done, long ticket) {
    }

    /** Writes one batch and completes (or fails) each entry's future. */
    @FunctionalInterface
    interface BatchWriter {
        void write(List<Entry> batch) throws InterruptedException;
    }

    private final CommitQueue<Entry> queue;
    private volatile State state = State.LATENT;
    private volatile long appended; // written under this object's monitor

    PendingChanges(int maxBatch, Duration window) {
        this.queue = new CommitQueue<>(maxBatch, window);
    }

    State state() {
        return state;
    }

    /** Fails unless still latent: a journal starts once. */
    void requireLatent() {
        State now = state;
        if (now != State.LATENT) {
            throw new IllegalStateException("journal is " + now);
        }
    }

    synchronized void open() {
        requireLatent();
        state = State.STARTED;
    }

    /** No more appends; the writer finishes what is queued and leaves. Returns the state before. */
    synchronized State close() {
        State was = state;
        state = State.CLOSED;
        return was;
    }

    CompletableFuture<Void> append(List<LeaseChange> changes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) { // against close(): nothing may be queued once the writer may have left
            if (state != State.STARTED) {
                done.completeExceptionally(new IllegalStateException("lease journal is " + state));
                return done;
            }
            long ticket = appended + 1;
            queue.add(new Entry(changes, done, ticket));
            appended = ticket;
        }
        return done;
    }

    /**
     * Takes the next ticket for changes that are not appended but that the journal's store writer settles in
     * turn (the replay at start, {@link FileLeaseJournal}): waiting for "everything appended so far" then waits
     * for them too. Only before {@link #open()}.
     */
    synchronized long reserve() {
        requireLatent();
        appended = appended + 1;
        return appended;
    }

    int size() {
        return queue.size();
    }

    /** The ticket of the last accepted append (0: none yet). */
    long appended() {
        return appended;
    }

    /** The writer thread's loop; returns when closed and drained, or when interrupted. */
    void drain(BatchWriter writer) {
        List<Entry> batch = new ArrayList<>();
        try {
            while (state == State.STARTED || !queue.isEmpty()) {
                try {
                    if (queue.take(batch, 100, TimeUnit.MILLISECONDS)) {
                        writer.write(batch);
                    }
                } finally {
                    batch.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Entry left;
            while ((left = queue.poll()) != null) {
                left.done().completeExceptionally(new IllegalStateException("lease journal closed"));
            }
        }
    }
}
