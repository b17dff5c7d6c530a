package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.journal.JournalService.RetryOutcome;
import io.fabricipam.dhcp.journal.JournalService.Unstored;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.store.FencedWriteException;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.UnknownScopeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the file journal's records get into the lease store: in large batches, recording the journal
 * position in the same transaction, and never past a change that is not kept somewhere. When the store
 * refuses a batch, its changes are stored one at a time (each with its own position), and a change the
 * store refuses is set aside in the {@link DeadLetters} file (forced to disk) before the position moves
 * past it: it stays replayable, visible and retryable. A change of a scope that no longer exists
 * ({@link UnknownScopeException}: an administrator deleted the scope while its changes were on their way)
 * belongs to nothing: its row is dropped, its event is kept in the history, and it is logged and counted.
 *
 * <p>One writer at a time: the copier thread's batches and an operator's retry or discard take
 * {@link #writing}; DHCP workers never do. Every method may throw what the store throws when it fails
 * (down, timed out): then nothing beyond the last recorded position counts as stored and the caller tries
 * the same records again (those at or below the position are skipped). A store fenced by a leader epoch that
 * refuses this writer ({@link FencedWriteException}) is such a failure, never a refusal of a change: nothing is
 * set aside for it, and it reaches the caller.
 */
final class StoreCopy {

    /** A journal record: its sequence and its change. */
    record Sequenced(long sequence, LeaseChange change) {
    }

    private static final Logger log = LoggerFactory.getLogger(StoreCopy.class);

    private final LeaseStore store;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final ReentrantLock writing = new ReentrantLock();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long position;

    StoreCopy(LeaseStore store, DeadLetters deadLetters, Clock clock) {
        this.store = store;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** The store's position at start. */
    void startAt(long storedPosition) {
        position = storedPosition;
    }

    /** The last record that is stored, set aside or dropped. */
    long position() {
        return position;
    }

    long dropped() {
        return dropped.get();
    }

    /** Stores {@code records} (consecutive, oldest first) and records {@code last} as the position. */
    void store(List<Sequenced> records, long last) {
        writing.lock();
        try {
            List<Sequenced> rest = new ArrayList<>(records.size());
            for (Sequenced r : records) {
                if (r.sequence() <= position || deadLetters.contains(r.sequence())) {
                    continue; // stored, or set aside, by an attempt the store then failed
                }
                Long blocker = deadLetters.blockerOf(r.sequence(), r.change());
                if (blocker != null) {
                    setAside(r, behind(blocker));
                } else {
                    rest.add(r);
                }
            }
            try {
                store.apply(changes(rest), last);
                position = last;
                return;
            } catch (IllegalArgumentException | IllegalStateException refused) {
                log.warn("the lease store refused a batch of {} change(s) ({}); storing them one at a time", rest.size(),
                        refused.getMessage());
            }
            for (Sequenced r : rest) {
                storeOne(r);
            }
            store.apply(List.of(), last);
            position = last;
        } finally {
            writing.unlock();
        }
    }

    private void storeOne(Sequenced r) {
        Long blocker = deadLetters.blockerOf(r.sequence(), r.change());
        if (blocker != null) {
            setAside(r, behind(blocker));
            return;
        }
        try {
            store.apply(List.of(r.change()), r.sequence());
            position = r.sequence();
        } catch (UnknownScopeException gone) {
            drop(r.sequence(), r.change(), true);
        } catch (IllegalArgumentException | IllegalStateException refused) {
            setAside(r, refused.getMessage());
        }
    }

    private void setAside(Sequenced r, String error) {
        try {
            if (deadLetters.add(new Unstored(r.sequence(), r.change(), clock.instant(), error))) {
                log.error("the lease store refuses change #{} ({} {} in scope {}: {}); it was acknowledged, so it is kept"
                        + " in {} and retried at every start ({} unstored; GET /api/v1/journal/unstored, POST"
                        + " /api/v1/journal/unstored/retry)", r.sequence(), describe(r.change()), r.change().address(),
                        r.change().scopeId(), error, deadLetters.file().toAbsolutePath(), deadLetters.count());
            }
        } catch (IOException e) {
            // Without the dead letter the position must not move: fail like a store that is down, and retry.
            throw new UncheckedIOException("cannot keep refused lease change #" + r.sequence() + " in " + DeadLetters.FILE, e);
        }
    }

    /**
     * The scope is gone: the row goes nowhere, the event into the history (it has no tie to the scope).
     * {@code inOrder}: the change is the next record (its event may carry the position); a retried dead
     * letter is older than the position, which must not go back.
     */
    private void drop(long sequence, LeaseChange change, boolean inOrder) {
        dropped.incrementAndGet();
        Lease row = change.after() != null ? change.after() : change.before();
        if (change.event() != null) {
            List<LeaseChange> eventOnly = List.of(new LeaseChange(row, null, change.event(), true));
            try {
                if (inOrder) {
                    store.apply(eventOnly, sequence);
                    position = sequence;
                } else {
                    store.apply(eventOnly);
                }
            } catch (IllegalArgumentException | IllegalStateException refused) {
                log.warn("event of dropped lease change #{} not kept either: {}", sequence, refused.getMessage());
            }
        }
        log.warn("lease change #{} ({} {}) dropped: its scope {} no longer exists (deleted while the change was on its"
                + " way); its event is kept in the history ({} dropped since start)", sequence, describe(change),
                change.address(), change.scopeId(), dropped.get());
    }

    /** Tries every dead letter again, oldest first; stored and dropped ones leave the file. */
    RetryOutcome retry() {
        writing.lock();
        try {
            List<Unstored> letters = deadLetters.all();
            if (letters.isEmpty()) {
                return RetryOutcome.NOTHING;
            }
            List<Unstored> stored = new ArrayList<>();
            List<Unstored> failing = new ArrayList<>();
            List<Unstored> droppedNow = new ArrayList<>();
            Map<Object, Long> stillFailing = new HashMap<>(); // per address, the oldest that still fails
            FencedWriteException fencedBy = null;
            for (int i = 0; i < letters.size(); i++) {
                Unstored u = letters.get(i);
                Object key = List.of(u.change().scopeId(), u.change().address());
                Long blocker = stillFailing.get(key);
                if (blocker != null) {
                    failing.add(u.withError(behind(blocker)));
                    continue;
                }
                try {
                    try {
                        store.apply(List.of(u.change()));
                        stored.add(u);
                    } catch (UnknownScopeException gone) {
                        drop(u.sequence(), u.change(), false);
                        droppedNow.add(u);
                    }
                } catch (FencedWriteException fenced) {
                    // This host no longer leads: keep the rest as they were, and say so (not "still refused").
                    fencedBy = fenced;
                    failing.addAll(letters.subList(i, letters.size()));
                    break;
                } catch (RuntimeException refusedOrDown) {
                    failing.add(u.withError(refusedOrDown.getMessage()));
                    stillFailing.put(key, u.sequence());
                }
            }
            try {
                deadLetters.keepOnly(failing);
            } catch (IOException e) {
                throw new UncheckedIOException("retried lease changes stored, but " + DeadLetters.FILE + " not rewritten"
                        + " (they will be applied again at the next retry)", e);
            }
            if (fencedBy != null) {
                throw fencedBy;
            }
            log.info("unstored lease changes retried: {} stored, {} dropped (scope deleted), {} still refused",
                    stored.size(), droppedNow.size(), failing.size());
            return new RetryOutcome(stored, failing, droppedNow);
        } finally {
            writing.unlock();
        }
    }

    Optional<Unstored> discard(long sequence) {
        writing.lock();
        try {
            Optional<Unstored> gone = deadLetters.remove(sequence);
            gone.ifPresent(u -> log.warn("unstored lease change #{} ({} {} in scope {}) discarded by an operator; it will"
                    + " never be stored", u.sequence(), describe(u.change()), u.change().address(), u.change().scopeId()));
            return gone;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + DeadLetters.FILE, e);
        } finally {
            writing.unlock();
        }
    }

    private static String behind(long blocker) {
        return "waits for unstored change #" + blocker + " of the same address (per address the store takes changes"
                + " in order)";
    }

    static String describe(LeaseChange c) {
        return c.event() != null ? c.event().type().name() : c.after() != null ? c.after().state().name() : "DELETE";
    }

    private static List<LeaseChange> changes(List<Sequenced> records) {
        List<LeaseChange> list = new ArrayList<>(records.size());
        for (Sequenced r : records) {
            list.add(r.change());
        }
        return list;
    }
}
