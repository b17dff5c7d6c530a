package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.store.LeaseChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' views of and actions on live leases: the lease table paged, a scope's utilization, and
 * force-release. Reads and decides in memory under each scope's lock, as the DHCP workers do; a
 * force-release goes through the lease journal like any lease change.
 */
public final class LeaseAdministration {

    private static final Logger log = LoggerFactory.getLogger(LeaseAdministration.class);
    /** How long a force-release waits for its commit before telling the caller it is still under way. */
    static final Duration COMMIT_WAIT = Duration.ofSeconds(30);

    /** A page of live lease rows matching a query, scopes in network order, and how many match in all. */
    public record LeasePage(List<Lease> leases, int total) {
    }

    private final ScopeDirectory directory;
    private final LeaseJournal journal;
    private final Clock clock;
    private final Duration commitWait;

    public LeaseAdministration(ScopeDirectory directory, LeaseJournal journal, Clock clock) {
        this(directory, journal, clock, COMMIT_WAIT);
    }

    /** @param commitWait how long a force-release waits for its commit before answering COMMIT_PENDING */
    public LeaseAdministration(ScopeDirectory directory, LeaseJournal journal, Clock clock, Duration commitWait) {
        this.directory = directory;
        this.journal = journal;
        this.clock = clock;
        this.commitWait = commitWait;
    }

    /**
     * Ends the lease on {@code address} at once (an operator's decision). Memory changes first, as for any
     * lease change, and the change is journaled; it is undone if, and only if, the journal reports that it
     * failed (then UNAVAILABLE: nothing changed). A caller that stops waiting after {@code commitWait} gets
     * COMMIT_PENDING: the release stands in memory and will be durable unless the journal fails, in which
     * case it is undone then; memory and store agree whichever way it ends.
     */
    public Lease forceRelease(UUID scopeId, Ipv4Address address, String who) {
        ScopeState state = live(scopeId);
        List<LeaseChange> changes;
        CompletableFuture<Void> committed;
        Lease released;
        state.lock().lock();
        try {
            Lease row = state.isRetired() ? null : state.leaseAt(address);
            if (row == null || !row.state().holdsAddress()) {
                throw ScopeException.notFound("no active lease on " + address);
            }
            Instant now = clock.instant();
            released = row.withState(LeaseState.RELEASED, now);
            changes = List.of(new LeaseChange(row, released,
                    LeaseEvent.of(LeaseEventType.FORCE_RELEASED, released, now, "by " + who), true));
            state.apply(changes);
            committed = journal.append(changes);
            state.appended(committed);
        } finally {
            state.lock().unlock();
        }
        // Undone where the journal's answer arrives, whoever is still waiting; done before `settled` completes.
        CompletableFuture<Void> settled = committed.whenComplete((ok, failure) -> {
            if (failure != null) {
                log.error("force-release of {} in scope '{}' not committed; undone", address, state.scope().name(), failure);
                ScopeRetirement.underLock(state, () -> state.revert(changes));
            }
        });
        try {
            settled.get(commitWait.toNanos(), TimeUnit.NANOSECONDS);
            return released;
        } catch (ExecutionException e) {
            throw ScopeException.unavailable("the release of " + address + " could not be committed ("
                    + ScopeException.describe(e.getCause()) + "); the lease is unchanged, try again");
        } catch (TimeoutException e) {
            throw pending(address);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw pending(address);
        }
    }

    private ScopeException pending(Ipv4Address address) {
        return ScopeException.commitPending("the release of " + address + " is made and still being committed after "
                + commitWait.toSeconds() + " s; read the lease again to see it durable (or undone if the journal fails)");
    }

    public Utilization utilization(UUID scopeId) {
        ScopeState state = live(scopeId);
        state.lock().lock();
        try {
            return state.utilization(clock.instant());
        } finally {
            state.lock().unlock();
        }
    }

    /** Live rows matching {@code query} in network then address order, skipping {@code offset}, at most {@code limit}. */
    public LeasePage leases(LeaseQuery query, int offset, int limit) {
        List<Lease> out = new ArrayList<>();
        int[] matched = {0};
        for (ScopeState state : directory.states()) {
            if (query.scopeId() != null && !query.scopeId().equals(state.scope().id())) {
                continue;
            }
            if (query.address() != null && !state.scope().network().contains(query.address())) {
                continue;
            }
            state.lock().lock();
            try {
                int skip = Math.max(0, offset - matched[0]);
                out.addAll(state.leases(query, skip, Math.max(0, limit - out.size()), matched));
            } finally {
                state.lock().unlock();
            }
        }
        return new LeasePage(out, matched[0]);
    }

    private ScopeState live(UUID scopeId) {
        return directory.state(scopeId).orElseThrow(() -> ScopeException.notFound("no scope " + scopeId));
    }
}
