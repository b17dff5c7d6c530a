package io.fabricipam.dhcp.testing;

import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.store.LeaseChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A journal in front of a real one that can hold appends back: while {@link #hold()} is on, appended changes
 * wait here and their futures stay incomplete until {@link #release()} (they then go to the real journal,
 * and complete when it commits them) or {@link #fail} (they complete exceptionally and are never stored).
 * A journal that commits late, or fails, on demand.
 */
public final class HeldJournal implements LeaseJournal {

    private record Held(List<LeaseChange> changes, CompletableFuture<Void> done) {
    }

    private final LeaseJournal journal;
    private final List<Held> held = new ArrayList<>();
    private boolean holding;
    private RuntimeException failing;

    public HeldJournal(LeaseJournal journal) {
        this.journal = journal;
    }

    public synchronized void hold() {
        holding = true;
    }

    /** From now on every append fails at once with {@code failure} (null: stop failing). */
    public synchronized void failWith(RuntimeException failure) {
        failing = failure;
    }

    public synchronized int heldCount() {
        return held.size();
    }

    /** Sends what was held to the real journal and stops holding. */
    public synchronized void release() {
        holding = false;
        for (Held h : held) {
            journal.append(h.changes()).whenComplete((ok, e) -> {
                if (e == null) {
                    h.done().complete(null);
                } else {
                    h.done().completeExceptionally(e);
                }
            });
        }
        held.clear();
    }

    /** Fails what was held and stops holding. */
    public synchronized void fail(RuntimeException failure) {
        holding = false;
        held.forEach(h -> h.done().completeExceptionally(failure));
        held.clear();
    }

    @Override
    public void start() {
        journal.start();
    }

    @Override
    public synchronized CompletableFuture<Void> append(List<LeaseChange> changes) {
        if (failing != null) {
            return CompletableFuture.failedFuture(failing);
        }
        if (!holding) {
            return journal.append(changes);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        held.add(new Held(changes, done));
        return done;
    }

    @Override
    public boolean awaitStored(Duration timeout) {
        return journal.awaitStored(timeout);
    }

    @Override
    public boolean isRunning() {
        return journal.isRunning();
    }

    @Override
    public int backlog() {
        return journal.backlog();
    }

    @Override
    public long storeBacklog() {
        return journal.storeBacklog();
    }

    @Override
    public long commits() {
        return journal.commits();
    }

    @Override
    public long committedChanges() {
        return journal.committedChanges();
    }

    @Override
    public Status status() {
        return journal.status();
    }

    @Override
    public List<Unstored> unstored() {
        return journal.unstored();
    }

    @Override
    public RetryOutcome retryUnstored() {
        return journal.retryUnstored();
    }

    @Override
    public java.util.Optional<Unstored> discardUnstored(long sequence) {
        return journal.discardUnstored(sequence);
    }

    @Override
    public void close() {
        journal.close();
    }
}
