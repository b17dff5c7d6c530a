package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The steps that take a scope out of service before its lease rows are deleted (a deletion, a move to
 * another network), for {@link ScopeAdministration}, which calls them holding its own lock:
 * {@link #retire} (stop routing, then retire under the scope lock), {@link #drain} (everything appended for
 * it is in the lease store), and on failure {@link #reinstate} or {@link #withoutLeases}.
 */
final class ScopeRetirement {

    private final ScopeDirectory directory;
    private final LeaseJournal journal;
    private final Clock clock;
    private final Duration drainWait;

    ScopeRetirement(ScopeDirectory directory, LeaseJournal journal, Clock clock, Duration drainWait) {
        this.directory = directory;
        this.journal = journal;
        this.clock = clock;
        this.drainWait = drainWait;
    }

    /**
     * Takes the scope out of service: refused (changing nothing) while leases are bound, unless
     * {@code force}; else out of the directory first (no new request reaches it), then retired under its
     * lock (a decision under way finishes first; a worker that picked the scope before sees it retired),
     * re-checked there, since a lease may have been bound in between.
     *
     * @param moveTo the new configuration of a move, or null for a deletion
     */
    void retire(ScopeState state, Scope moveTo, boolean force) {
        underLock(state, () -> refuseStranded(state, moveTo, force));
        directory.remove(state.scope().id());
        boolean refused = true;
        state.lock().lock();
        try {
            refuseStranded(state, moveTo, force);
            state.retire();
            refused = false;
        } finally {
            state.lock().unlock();
            if (refused) {
                directory.put(state);
            }
        }
    }

    /** Back in service as it was: the change failed before the store was touched. */
    void reinstate(ScopeState state) {
        underLock(state, state::reinstate);
        directory.put(state);
    }

    /** The scope as the store has it once its lease rows are deleted: same configuration and reservations. */
    ScopeState withoutLeases(ScopeState state) {
        return new ScopeState(state.scope(), state.reservations(), List.of(), clock.instant());
    }

    /**
     * Waits until every change appended for the retired scope is in the lease store: its last append is
     * committed (the journal commits in append order), then the journal's store has caught up with everything
     * appended so far. Nothing is appended for a retired scope any more, so this ends; after
     * {@code drainWait} it gives up (UNAVAILABLE), changing nothing.
     */
    void drain(ScopeState state) {
        long deadline = System.nanoTime() + drainWait.toNanos();
        CompletableFuture<Void> last;
        state.lock().lock();
        try {
            last = state.lastAppend();
        } finally {
            state.lock().unlock();
        }
        try {
            last.handle((ok, failed) -> null).get(drainWait.toNanos(), TimeUnit.NANOSECONDS); // failed: never stored
        } catch (TimeoutException | ExecutionException e) {
            throw notDrained(state);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notDrained(state);
        }
        if (!journal.awaitStored(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            throw notDrained(state);
        }
    }

    private ScopeException notDrained(ScopeState state) {
        return ScopeException.unavailable("the lease store has not caught up with the lease journal within "
                + drainWait.toSeconds() + " s, so the leases of scope '" + state.scope().name() + "' cannot be deleted"
                + " yet; nothing was changed, try again");
    }

    /**
     * Refuses a change that would strand bound leases (caller holds the scope lock): for a deletion or a new
     * network every bound lease, else those {@code updated} would no longer serve; nothing with {@code force}.
     */
    void refuseStranded(ScopeState state, Scope updated, boolean force) {
        if (force) {
            return;
        }
        Instant now = clock.instant();
        boolean everyLease = updated == null || !updated.network().equals(state.scope().network());
        List<String> stranded = new ArrayList<>();
        state.forEachLease(l -> {
            if (l.state() == LeaseState.BOUND && l.holdsAddressAt(now) && (everyLease || !servable(updated, state, l.address()))) {
                stranded.add(l.address() + " (" + l.mac() + ")");
            }
        });
        if (stranded.isEmpty()) {
            return;
        }
        if (updated == null) {
            throw ScopeException.conflict(ScopeException.Kind.LEASES_IN_USE, "scope has " + stranded.size()
                    + " bound lease(s); delete with force to drop them", null, stranded);
        }
        throw ScopeException.conflict(ScopeException.Kind.LEASES_IN_USE, stranded.size()
                + " bound lease(s) would fall outside the scope's pools", "pools", stranded);
    }

    private static boolean servable(Scope scope, ScopeState state, Ipv4Address address) {
        Reservation r = state.reservationAt(address);
        return r != null || scope.inPool(address) && !scope.excluded(address) && !ScopeValidator.isSpecial(scope, address);
    }

    static void underLock(ScopeState state, Runnable action) {
        state.lock().lock();
        try {
            action.run();
        } finally {
            state.lock().unlock();
        }
    }
}
