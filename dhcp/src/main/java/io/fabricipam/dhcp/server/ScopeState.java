package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.alloc.FreeAddressSet;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The live state of one scope: its configuration, reservations, lease rows by address and by client, the
 * set of free dynamic addresses and when each row falls due. The one writer at a time is whoever holds
 * {@link #lock()}; the responder reads it through {@link ScopeView} under that lock, so two requests can
 * never be given the same address.
 */
public final class ScopeState implements ScopeView {

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
                && !reservationsByAddress.containsKey(address);
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

    /** Takes a new configuration of the same network; lease rows stay, the free set is rebuilt. */
    public void reconfigure(Scope newScope, Instant now) {
        if (!newScope.network().equals(network)) {
            throw new IllegalArgumentException("a scope's network cannot change while it has state");
        }
        this.scope = newScope;
        this.optionSet = ScopeOptionSet.of(newScope);
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
     * Free = in a pool, not excluded, not special, not reserved ({@link #isDynamic}), and held by no row: built
     * by ranges (the pools, less the exclusions), then the few single addresses taken out, instead of asking
     * every address of the pools (a million for a /12, a large part of the start-up time).
     */
    private void rebuildFreeSet(Instant now) {
        FreeAddressSet set = new FreeAddressSet((int) network.size());
        for (AddressRange pool : scope.pools()) {
            set.addRange(network.offsetOf(pool.start()), network.offsetOf(pool.end()));
        }
        for (AddressRange exclusion : scope.exclusions()) {
            long first = Math.max(exclusion.start().unsigned(), network.address().unsigned());
            long last = Math.min(exclusion.end().unsigned(), network.broadcast().unsigned());
            if (first <= last) {
                set.removeRange((int) (first - network.address().unsigned()), (int) (last - network.address().unsigned()));
            }
        }
        // the special addresses (network, broadcast, gateway, server identifier) and the reserved ones
        List<Ipv4Address> singles = new ArrayList<>(List.of(network.address(), network.broadcast()));
        if (scope.gateway() != null) {
            singles.add(scope.gateway());
        }
        if (scope.serverIdentifier() != null) {
            singles.add(scope.serverIdentifier());
        }
        singles.addAll(reservationsByAddress.keySet());
        for (Ipv4Address address : singles) {
            if (network.contains(address) && !isDynamic(address)) {
                set.remove(network.offsetOf(address));
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
     * Counts per state over the whole scope and over each pool (caller holds the lock). Cost: one look at
     * every pool address, so milliseconds for a /12; meant for the API and metrics, not the DHCP path.
     */
    public Utilization utilization(Instant now) {
        long[] scopeCounts = new long[6];
        List<Utilization.PoolCounts> pools = new ArrayList<>(scope.pools().size());
        for (AddressRange pool : scope.pools()) {
            long[] c = new long[6];
            for (long a = pool.start().unsigned(); a <= pool.end().unsigned(); a++) {
                Ipv4Address address = Ipv4Address.ofUnsigned(a);
                if (scope.excluded(address) || ScopeValidator.isSpecial(scope, address)) {
                    continue;
                }
                classify(address, now, c);
            }
            pools.add(new Utilization.PoolCounts(pool, counts(c)));
            for (int i = 0; i < c.length; i++) {
                scopeCounts[i] += c[i];
            }
        }
        for (Reservation r : reservationsByMac.values()) {
            if (!scope.inPool(r.address()) || scope.excluded(r.address())) {
                classify(r.address(), now, scopeCounts); // reservations outside pools count in the scope's total
            }
        }
        return new Utilization(counts(scopeCounts), pools);
    }

    /** c: total, bound, offered, reserved, declined, free. */
    private void classify(Ipv4Address address, Instant now, long[] c) {
        c[0]++;
        Lease row = table.get(network.offsetOf(address));
        boolean reserved = reservationsByAddress.containsKey(address);
        if (reserved) {
            c[3]++;
        }
        if (row != null && row.holdsAddressAt(now)) {
            switch (row.state()) {
                case BOUND -> c[1]++;
                case OFFERED -> c[2]++;
                case DECLINED -> c[4]++;
                default -> { }
            }
        } else if (!reserved) {
            c[5]++;
        }
    }

    private static Utilization.Counts counts(long[] c) {
        return new Utilization.Counts(c[0], c[1], c[2], c[3], c[4], c[5]);
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
