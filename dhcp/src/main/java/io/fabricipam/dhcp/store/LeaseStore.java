package io.fabricipam.dhcp.store;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Durable lease rows (one per scope and address) and their event history. Implementations: in memory
 * for tests, JDBC (H2, PostgreSQL) in ipam-api. The contract suite is {@code LeaseStoreContract}.
 *
 * <p>A lease row belongs to an existing scope: a row of a scope the store does not know is refused with
 * {@link UnknownScopeException} (the JDBC stores by a foreign key that also deletes a scope's rows with the
 * scope; the in-memory store when it is given the scopes it may know). Events have no such tie: the
 * history outlives its scopes, for audit.
 */
public interface LeaseStore {

    /** Every row of the scope, any state, in address order. */
    List<Lease> leases(UUID scopeId);

    /**
     * Every row of every scope, any state, in no particular order, each handed to {@code action} as it is read:
     * what the server loads to rebuild its in-memory state at start or failover. One pass over the store, so a
     * database reads its lease table once, in storage order, instead of once per scope through an index.
     */
    void forEachLease(Consumer<Lease> action);

    /**
     * Applies the durable changes of {@code changes} in order, in one transaction: when this returns,
     * all are committed and survive a crash (kill -9); when it throws, none is. A change the store refuses
     * (a value it cannot hold, a constraint, {@link UnknownScopeException}) throws
     * {@link IllegalArgumentException} or {@link IllegalStateException}; any other exception means the
     * store failed (down, timed out) and the same changes may be tried again, except
     * {@link FencedWriteException}: a store fenced by a leader epoch (see {@link LeaderEpochStore}) refuses,
     * applying nothing, every change of a writer whose epoch is lower than the stored one, that is of a host
     * that is no longer the leader. An unfenced store (a single host) never checks an epoch.
     */
    void apply(List<LeaseChange> changes);

    /**
     * As {@link #apply(List)}, and in the same transaction records that the lease journal's records up to
     * {@code journalPosition} are now in the store, so that a replay after a crash starts exactly after them.
     */
    void apply(List<LeaseChange> changes, long journalPosition);

    /** The journal position recorded by the last {@link #apply(List, long)}; 0 when none was. */
    long journalPosition();

    /**
     * The identifier of the lease journal this store is bound to (see {@link #bindJournal}), or null when
     * it never was: a journal replays only into the store it fed, never into another database.
     */
    UUID journalId();

    /**
     * Binds the store to the journal {@code id} if it is bound to {@code expected} (null: not bound yet),
     * durably; returns false, changing nothing, when it is bound to something else.
     */
    boolean bindJournal(UUID expected, UUID id);

    /** Events of one address, newest first. */
    List<LeaseEvent> history(UUID scopeId, Ipv4Address address, int limit);

    /** Events of one MAC across scopes, newest first. */
    List<LeaseEvent> historyOf(MacAddress mac, int limit);

    /**
     * Events newest first, filtered by whichever of {@code scopeId}, {@code type}, {@code mac} and
     * {@code since} (inclusive) are not null.
     */
    List<LeaseEvent> events(UUID scopeId, LeaseEventType type, MacAddress mac, Instant since, int limit);

    /** Removes every lease row of a scope (its history stays, for audit). */
    void deleteLeases(UUID scopeId);
}
