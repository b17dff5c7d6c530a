package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.store.LeaseChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The changes waiting for a journal's writer thread, each with the future its reply waits on. Appends are
 * refused (the future fails at once) unless the intake is open; {@link #drain} is the writer's loop: it
 * hands over batches until the intake is closed and empty, then fails whatever could not be written.
 */
final class PendingChanges {

    /** One request's changes and the future completed when they are durable. */
    record Entry(List<LeaseChange> changes, CompletableFuture<Void> done) {
    }

    /** Writes one batch and completes (or fails) each entry's future. */
    @FunctionalInterface
    interface BatchWriter {
        void write(List<Entry> batch) throws InterruptedException;
    }

    private final CommitQueue<Entry> queue;
    private String refusal = "LATENT"; // null while open; else the journal state named in refusals

    PendingChanges(int maxBatch, Duration window) {
        this.queue = new CommitQueue<>(maxBatch, window);
    }

    synchronized void open() {
        refusal = null;
    }

    /** No more appends; the writer finishes what is queued and leaves. */
    synchronized void close() {
        refusal = "CLOSED";
    }

    private synchronized boolean isOpen() {
        return refusal == null;
    }

    CompletableFuture<Void> append(List<LeaseChange> changes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) { // against close(): nothing may be queued once the writer may have left
            if (refusal != null) {
                done.completeExceptionally(new IllegalStateException("lease journal is " + refusal));
                return done;
            }
            queue.add(new Entry(changes, done));
        }
        return done;
    }

    int size() {
        return queue.size();
    }

    /** The writer thread's loop; returns when closed and drained, or when interrupted. */
    void drain(BatchWriter writer) {
        List<Entry> batch = new ArrayList<>();
        try {
            while (isOpen() || !queue.isEmpty()) {
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
