package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.alloc.FreeAddressSet;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.RangeSet;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeValidator;
import io.fabricipam.dhcp.store.LeaseChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The live state of one scope: its configuration, reservations, lease rows by address and by client, the
 * set of free dynamic addresses and when each row falls due. The one writer at a time is whoever holds
 * {@link #lock()}; the responder reads it through {@link ScopeView} under that lock, so two requests can
 * never be given the same address. Only memory is touched under the lock: no store I/O ever happens while
 * it is held (see {@link ScopeAdministration} for how operators' changes reach the store).
 *
 * <p>Lifecycle: LIVE (in the {@link ScopeDirectory}, answering) -> RETIRED (taken out of the directory to be
 * deleted or moved to another network; whoever takes the lock afterwards sees {@link #isRetired()} and
 * leaves it alone) -> LIVE again only when that change fails before the store was touched.
 */
public final class ScopeState implements ScopeView {

    private static final CompletableFuture<Void> NOTHING_APPENDED = CompletableFuture.completedFuture(null);

    private final ReentrantLock lock = new ReentrantLock();
    private final Ipv4Network network;
    private final LeaseTable table;
    private final Map<ClientKey, Lease> byClient = new HashMap<>();
    private final Map<MacAddress, Reservation> reservationsByMac = new HashMap<>();
    private final Map<Ipv4Address, Reservation> reservationsByAddress = new HashMap<>();
    private final ExpiryQueue expiries = new ExpiryQueue();
    private final EnumMap<LeaseState, Integer> counts = new EnumMap<>(LeaseState.class);
    private Scope scope;
    private ScopeOptionSet optionSet;
    private FreeAddressSet free;
    private int cursor;
    private volatile boolean retired;
    private AddressFence fence;
    private CompletableFuture<Void> lastAppend = NOTHING_APPENDED;

    public ScopeState(Scope scope, Collection<Reservation> reservations, Collection<Lease> leases, Instant now) {
        this.scope = scope;
        this.network = scope.network();
        this.optionSet = ScopeOptionSet.of(scope);
        this.table = new LeaseTable(network.size());
        for (LeaseState s : LeaseState.values()) {
            counts.put(s, 0);
        }
        for (Reservation r : reservations) {
            reservationsByMac.put(r.mac(), r);
            reservationsByAddress.put(r.address(), r);
        }
        for (Lease lease : leases) {
            if (network.contains(lease.address())) {
                Lease row = lease;
                if (row.state() == LeaseState.OFFERED) {
                    row = row.withState(LeaseState.EXPIRED, row.expiresAt()); // offers never survive a restart
                }
                put(row);
            }
        }
        rebuildFreeSet(now);
    }

    public ReentrantLock lock() {
        return lock;
    }

    /** True once the scope was taken out of service (caller holds the lock): decide nothing for it. */
    public boolean isRetired() {
        return retired;
    }

    /** LIVE -> RETIRED (caller holds the lock). */
    void retire() {
        retired = true;
    }

    /** RETIRED -> LIVE, when the change that retired it failed before touching the store (caller holds the lock). */
    void reinstate() {
        retired = false;
    }

    /**
     * Records the future of changes just appended to the journal for this scope (caller holds the lock).
     * The journal commits in append order, so once the last one completes, every earlier one has.
     */
    void appended(CompletableFuture<Void> committed) {
        lastAppend = committed;
    }

    /** The future of the last changes appended for this scope (caller holds the lock). */
    CompletableFuture<Void> lastAppend() {
        return lastAppend;
    }

    /**
     * Withholds the fence's addresses from dynamic allocation until {@link #unfence()} or
     * {@link #reconfigure} (caller holds the lock). At most one fence at a time: operators' changes are
     * serialised.
     */
    void fence(AddressFence withheld) {
        fence = withheld;
        withheld.forEachOffset(scope, free::remove);
    }

    /** Drops the fence and gives its addresses back to the pool where they are free (caller holds the lock). */
    void unfence() {
        AddressFence withheld = fence;
        fence = null;
        if (withheld != null) {
            withheld.forEachOffset(scope, offset -> updateFree(offset, table.get(offset)));
        }
    }

    @Override
    public Scope scope() {
        return scope;
    }

    @Override
    public ScopeOptionSet optionSet() {
        return optionSet;
    }

    @Override
    public Lease leaseAt(Ipv4Address address) {
        return network.contains(address) ? table.get(network.offsetOf(address)) : null;
    }

    @Override
    public Lease leaseOf(ClientKey client) {
        return byClient.get(client);
    }

    @Override
    public Reservation reservationOf(MacAddress mac) {
        return reservationsByMac.get(mac);
    }

    @Override
    public Reservation reservationAt(Ipv4Address address) {
        return reservationsByAddress.get(address);
    }

    @Override
    public boolean isDynamic(Ipv4Address address) {
        return scope.inPool(address) && !scope.excluded(address) && !ScopeValidator.isSpecial(scope, address)
                && !reservationsByAddress.containsKey(address) && (fence == null || !fence.withholds(address));
    }

    @Override
    public Ipv4Address nextFree() {
        int offset = free.nextFrom(cursor);
        return offset < 0 ? null : network.addressAt(offset);
    }

    /** Applies changes decided under the lock: rows, client index, free set, expiry queue. */
    public void apply(List<LeaseChange> changes) {
        for (LeaseChange c : changes) {
            if (c.after() == null) {
                remove(c.before());
            } else {
                put(c.after());
                if (c.after().state() == LeaseState.OFFERED || c.after().state() == LeaseState.BOUND) {
                    cursor = network.offsetOf(c.address()) + 1; // iterate onwards: recently freed addresses rest
                }
            }
        }
    }

    /** Puts back the rows that {@code changes} replaced, where nothing has changed them since (a failed commit). */
    public void revert(List<LeaseChange> changes) {
        for (int i = changes.size() - 1; i >= 0; i--) {
            LeaseChange c = changes.get(i);
            Lease current = leaseAt(c.address());
            if (current == c.after() || (current == null && c.after() == null)) {
                if (c.before() == null) {
                    remove(current);
                } else {
                    put(c.before());
                }
            }
        }
    }

    private void put(Lease lease) {
        int offset = network.offsetOf(lease.address());
        Lease previous = table.put(offset, lease);
        if (previous != null) {
            count(previous.state(), -1);
            if (previous.client() != null && byClient.get(previous.client()) == previous) {
                byClient.remove(previous.client());
            }
        }
        count(lease.state(), +1);
        if (lease.client() != null) {
            Lease mapped = byClient.get(lease.client());
            if (mapped == null || mapped.address().equals(lease.address()) || rank(lease) >= rank(mapped)) {
                byClient.put(lease.client(), lease);
            }
        }
        if (lease.state().holdsAddress()) {
            expiries.add(lease.expiresAt().getEpochSecond(), offset);
        }
        updateFree(offset, lease);
    }

    /**
     * Which of a client's rows {@link #leaseOf} answers when it has several (an offer for its reservation
     * while still bound elsewhere, say): a binding outranks an offer, which outranks a past row.
     */
    private static int rank(Lease lease) {
        return switch (lease.state()) {
            case BOUND -> 3;
            case OFFERED -> 2;
            case RELEASED, EXPIRED -> 1;
            case DECLINED -> 0;
        };
    }

    private void remove(Lease lease) {
        if (lease == null) {
            return;
        }
        int offset = network.offsetOf(lease.address());
        Lease previous = table.put(offset, null);
        if (previous != null) {
            count(previous.state(), -1);
            if (previous.client() != null && byClient.get(previous.client()) == previous) {
                byClient.remove(previous.client());
            }
        }
        updateFree(offset, null);
    }

    private void updateFree(int offset, Lease row) {
        if (free == null) {
            return; // still loading; rebuildFreeSet follows
        }
        Ipv4Address address = network.addressAt(offset);
        if (row != null && row.state().holdsAddress() || !isDynamic(address)) {
            free.remove(offset);
        } else {
            free.add(offset);
        }
    }

    private void count(LeaseState state, int delta) {
        counts.merge(state, delta, Integer::sum);
    }

    /**
     * Rows that fell due by {@code now}: an offer not taken goes back to the pool (memory only), a binding
     * expires and a declined address returns from probation (both durable). Returns the changes applied.
     */
    public List<LeaseChange> sweep(Instant now) {
        List<LeaseChange> changes = new ArrayList<>();
        long nowSecond = now.getEpochSecond();
        while (!expiries.isEmpty() && expiries.peekSecond() < nowSecond) {
            int offset = expiries.pollOffset();
            Lease row = table.get(offset);
            if (row == null || !row.state().holdsAddress() || row.expiresAt().isAfter(now)) {
                continue; // renewed, released or replaced since this entry was queued
            }
            LeaseChange change = switch (row.state()) {
                case OFFERED -> new LeaseChange(row, row.withState(LeaseState.EXPIRED, row.expiresAt()), null, false);
                case BOUND -> {
                    Lease expired = row.withState(LeaseState.EXPIRED, row.expiresAt());
                    yield new LeaseChange(row, expired, LeaseEvent.of(LeaseEventType.EXPIRED, expired, now, null), true);
                }
                default -> new LeaseChange(row, null, LeaseEvent.of(LeaseEventType.RECLAIMED, row, now,
                        "probation ended"), true);
            };
            apply(List.of(change));
            changes.add(change);
        }
        return changes;
    }

    /** Takes a new configuration of the same network; lease rows stay, a fence falls, the free set is rebuilt. */
    public void reconfigure(Scope newScope, Instant now) {
        if (!newScope.network().equals(network)) {
            throw new IllegalArgumentException("a scope's network cannot change while it has state");
        }
        this.optionSet = ScopeOptionSet.of(newScope);
        this.scope = newScope;
        this.fence = null;
        rebuildFreeSet(now);
    }

    public void putReservation(Reservation reservation) {
        Reservation old = reservationsByMac.put(reservation.mac(), reservation);
        if (old != null) {
            reservationsByAddress.remove(old.address());
            refreshFree(old.address());
        }
        reservationsByAddress.put(reservation.address(), reservation);
        refreshFree(reservation.address());
    }

    public Reservation removeReservation(MacAddress mac) {
        Reservation old = reservationsByMac.remove(mac);
        if (old != null) {
            reservationsByAddress.remove(old.address());
            refreshFree(old.address());
        }
        return old;
    }

    private void refreshFree(Ipv4Address address) {
        int offset = network.offsetOf(address);
        updateFree(offset, table.get(offset));
    }

    public Collection<Reservation> reservations() {
        return List.copyOf(reservationsByMac.values());
    }

    /**
     * The free set from scratch: the pools' addresses minus exclusions (merged intervals), minus the special
     * addresses, reservations and rows that hold their address. Cost: O(ranges log ranges + reservations +
     * rows) plus one 64-bit word per 64 dynamic addresses (a /12's million addresses in microseconds, not a
     * large part of the start), independent of how many pools and exclusions cover them.
     */
    private void rebuildFreeSet(Instant now) {
        FreeAddressSet set = new FreeAddressSet((int) network.size());
        RangeSet dynamic = scope.poolSet().minus(scope.exclusionSet());
        long first = network.address().unsigned();
        long last = network.broadcast().unsigned();
        for (int i = 0; i < dynamic.intervals(); i++) {
            long from = Math.max(dynamic.start(i), first);
            long to = Math.min(dynamic.end(i), last);
            if (from <= to) {
                set.addRange((int) (from - first), (int) (to - first)); // a word at a time
            }
        }
        for (Ipv4Address special : new Ipv4Address[] {network.address(), network.broadcast(), scope.gateway(),
                scope.serverIdentifier()}) {
            if (special != null && network.contains(special) && ScopeValidator.isSpecial(scope, special)) {
                set.remove(network.offsetOf(special));
            }
        }
        for (Ipv4Address reserved : reservationsByAddress.keySet()) {
            if (network.contains(reserved)) {
                set.remove(network.offsetOf(reserved));
            }
        }
        table.forEach(row -> {
            if (row.state().holdsAddress()) {
                set.remove(network.offsetOf(row.address()));
            }
        });
        free = set;
    }

    /** Number of rows per state, and free dynamic addresses. */
    public Map<LeaseState, Integer> counts() {
        return new EnumMap<>(counts);
    }

    public int freeCount() {
        return free.count();
    }

    public int reservationCount() {
        return reservationsByMac.size();
    }

    public void forEachLease(Consumer<Lease> action) {
        table.forEach(action);
    }

    /**
     * Counts per state over the whole scope and over each pool (caller holds the lock); see
     * {@link ScopeUtilization}.
     */
    public Utilization utilization(Instant now) {
        return ScopeUtilization.of(this, now);
    }

    /** Rows matching {@code query}, in address order, skipping {@code offset}, at most {@code limit} (caller holds the lock). */
    public List<Lease> leases(LeaseQuery query, int offset, int limit, int[] matched) {
        List<Lease> out = new ArrayList<>(Math.min(limit, 256));
        int[] seen = {0};
        table.forEach(l -> {
            if (query.matches(l)) {
                if (seen[0] >= offset && out.size() < limit) {
                    out.add(l);
                }
                seen[0]++;
            }
        });
        matched[0] += seen[0];
        return out;
    }
}
