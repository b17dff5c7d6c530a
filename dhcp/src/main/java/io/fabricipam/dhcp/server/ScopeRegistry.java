package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.codec.DhcpRequest;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeValidator;
import io.fabricipam.dhcp.scope.Violation;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.ScopeStore;
import io.fabricipam.dhcp.store.StaleScopeException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live scopes: loads them from the stores, picks the scopes that serve a request's link, and applies
 * configuration changes to store and memory together, so that a change is used by the next DHCP exchange.
 * Structural changes (create, update, delete) are serialised by one lock; a scope's leases and
 * reservations by that scope's own lock.
 */
public final class ScopeRegistry {

    /** Which of a client's equal-ranked rows the state keeps depends on the order it sees them in. */
    private static final Comparator<Lease> BY_ADDRESS = Comparator.comparingLong(l -> l.address().unsigned());

    private final ScopeStore scopeStore;
    private final LeaseStore leaseStore;
    private final LeaseJournal journal;
    private final Clock clock;
    private final ReentrantLock structure = new ReentrantLock();
    private final Map<UUID, ScopeState> states = new ConcurrentHashMap<>();
    private volatile List<ScopeState> ordered = List.of();
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ScopeRegistry(ScopeStore scopeStore, LeaseStore leaseStore, LeaseJournal journal, Clock clock) {
        this.scopeStore = scopeStore;
        this.leaseStore = leaseStore;
        this.journal = journal;
        this.clock = clock;
    }

    /**
     * (Re)loads every scope with its reservations and leases from the stores: the leases in one pass
     * ({@link LeaseStore#forEachLease}), each scope's in address order, as {@link LeaseStore#leases} gives them.
     */
    public void load() {
        structure.lock();
        try {
            states.clear();
            Instant now = clock.instant();
            Map<UUID, List<Lease>> leases = new HashMap<>();
            leaseStore.forEachLease(l -> leases.computeIfAbsent(l.scopeId(), id -> new ArrayList<>()).add(l));
            for (Scope scope : scopeStore.scopes()) {
                List<Lease> rows = leases.getOrDefault(scope.id(), new ArrayList<>());
                rows.sort(BY_ADDRESS);
                states.put(scope.id(), new ScopeState(scope, scopeStore.reservations(scope.id()), rows, now));
            }
            reorder();
        } finally {
            structure.unlock();
        }
    }

    private void reorder() {
        List<ScopeState> list = new ArrayList<>(states.values());
        list.sort(Comparator.comparing((ScopeState s) -> s.scope().network().address()).thenComparing(s -> s.scope().name()));
        ordered = List.copyOf(list);
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    /**
     * Called after every change to the set of scopes or their configuration (load, create, update, delete),
     * on the changing thread; e.g. the OpenFlow front end re-derives the VLANs it intercepts. Must be quick.
     */
    public void addChangeListener(Runnable listener) {
        listeners.add(listener);
    }

    public List<ScopeState> states() {
        return ordered;
    }

    public Optional<ScopeState> state(UUID id) {
        return Optional.ofNullable(states.get(id));
    }

    public Optional<ScopeState> stateByName(String name) {
        return ordered.stream().filter(s -> s.scope().name().equals(name)).findFirst();
    }

    /**
     * The scopes that serve the request's link, the one holding the client's address first: by giaddr for
     * relayed requests, else by the VLAN the front end saw, else by our addresses on the receiving link.
     */
    public List<ScopeState> candidates(DhcpRequest request, RequestContext context) {
        List<ScopeState> found = new ArrayList<>(2);
        for (ScopeState s : ordered) {
            Scope scope = s.scope();
            boolean serves;
            if (request.isRelayed()) {
                serves = scope.network().contains(request.giaddr());
            } else if (context.vlan() != null) {
                serves = scope.vlan() == context.vlan();
            } else {
                serves = context.localAddresses().stream().anyMatch(scope.network()::contains);
            }
            if (serves) {
                found.add(s);
            }
        }
        if (found.size() > 1) {
            Ipv4Address hint = !request.ciaddr().isAny() ? request.ciaddr() : request.requestedAddress();
            if (hint != null) {
                found.sort(Comparator.comparing(s -> s.scope().network().contains(hint) ? 0 : 1));
            }
        }
        return found;
    }

    /** Server identifier: the scope's own, else our address on its network, else the gateway. */
    public static Ipv4Address serverIdentifier(Scope scope, RequestContext context) {
        if (scope.serverIdentifier() != null) {
            return scope.serverIdentifier();
        }
        for (Ipv4Address a : context.localAddresses()) {
            if (scope.network().contains(a)) {
                return a;
            }
        }
        if (!context.localAddresses().isEmpty()) {
            return context.localAddresses().get(0);
        }
        if (scope.gateway() != null) {
            return scope.gateway();
        }
        return scope.network().broadcast().plus(-1);
    }

    public Scope create(Scope draft) {
        Scope scope = draft;
        check(ScopeValidator.validate(scope));
        structure.lock();
        try {
            if (states.containsKey(scope.id())) {
                throw ScopeException.conflict(ScopeException.Kind.DUPLICATE_NAME, "scope " + scope.id() + " already exists", "id", null);
            }
            checkNoOverlap(scope);
            checkUniqueName(scope);
            Scope stored = scopeStore.save(scope.withVersion(0));
            states.put(stored.id(), new ScopeState(stored, List.of(), List.of(), clock.instant()));
            reorder();
            return stored;
        } finally {
            structure.unlock();
        }
    }

    /**
     * Replaces a scope's configuration. Refused when bound leases would fall outside every pool and
     * reservation (listing them), or when the network changes while leases exist.
     */
    public Scope update(Scope updated) {
        check(ScopeValidator.validate(updated));
        structure.lock();
        try {
            ScopeState state = states.get(updated.id());
            if (state == null) {
                throw ScopeException.notFound("no scope " + updated.id());
            }
            checkNoOverlap(updated);
            checkUniqueName(updated);
            state.lock().lock();
            try {
                Scope current = state.scope();
                Instant now = clock.instant();
                List<String> stranded = new ArrayList<>();
                boolean networkChanged = !current.network().equals(updated.network());
                state.forEachLease(l -> {
                    if (l.state() == LeaseState.BOUND && l.holdsAddressAt(now) && (networkChanged
                            || !servable(updated, state, l.address()))) {
                        stranded.add(l.address() + " (" + l.mac() + ")");
                    }
                });
                if (!stranded.isEmpty()) {
                    throw ScopeException.conflict(ScopeException.Kind.LEASES_IN_USE, stranded.size()
                            + " bound lease(s) would fall outside the scope's pools", "pools", stranded);
                }
                Scope stored;
                try {
                    stored = scopeStore.save(updated);
                } catch (StaleScopeException e) {
                    throw ScopeException.conflict(ScopeException.Kind.STALE, e.getMessage(), "version", null);
                }
                if (networkChanged) {
                    awaitStored();
                    leaseStore.deleteLeases(stored.id());
                    states.put(stored.id(), new ScopeState(stored, List.of(), List.of(), now));
                } else {
                    state.reconfigure(stored, now);
                }
                reorder();
                return stored;
            } finally {
                state.lock().unlock();
            }
        } finally {
            structure.unlock();
        }
    }

    private static boolean servable(Scope scope, ScopeState state, Ipv4Address address) {
        Reservation r = state.reservationAt(address);
        return r != null || scope.inPool(address) && !scope.excluded(address) && !ScopeValidator.isSpecial(scope, address);
    }

    /** Deletes a scope; refused while it has bound leases unless {@code force}. */
    public void delete(UUID id, boolean force) {
        structure.lock();
        try {
            ScopeState state = states.get(id);
            if (state == null) {
                throw ScopeException.notFound("no scope " + id);
            }
            Instant now = clock.instant();
            List<String> bound = new ArrayList<>();
            state.lock().lock();
            try {
                state.forEachLease(l -> {
                    if (l.state() == LeaseState.BOUND && l.holdsAddressAt(now)) {
                        bound.add(l.address() + " (" + l.mac() + ")");
                    }
                });
            } finally {
                state.lock().unlock();
            }
            if (!bound.isEmpty() && !force) {
                throw ScopeException.conflict(ScopeException.Kind.LEASES_IN_USE, "scope has " + bound.size()
                        + " bound lease(s); delete with force to drop them", null, bound);
            }
            awaitStored();
            leaseStore.deleteLeases(id);
            scopeStore.delete(id);
            states.remove(id);
            reorder();
        } finally {
            structure.unlock();
        }
    }

    /**
     * Binds {@code mac} to {@code address} in the scope, or, when {@code address} is null, to the next free
     * address (the AHV model: the VM's address is known before it boots). Atomic under the scope lock, so
     * parallel calls never get the same address.
     */
    public Reservation reserve(UUID scopeId, MacAddress mac, Ipv4Address address, String hostname) {
        ScopeState state = states.get(scopeId);
        if (state == null) {
            throw ScopeException.notFound("no scope " + scopeId);
        }
        state.lock().lock();
        try {
            Scope scope = state.scope();
            Instant now = clock.instant();
            Ipv4Address chosen = address;
            Reservation existing = state.reservationOf(mac);
            if (chosen == null) {
                if (existing != null) {
                    chosen = existing.address(); // idempotent: the same MAC asks again
                } else {
                    chosen = leasedTo(state, mac, now);
                    if (chosen == null) {
                        chosen = state.nextFree();
                    }
                    if (chosen == null) {
                        throw ScopeException.conflict(ScopeException.Kind.POOL_EXHAUSTED,
                                "no free address left in scope " + scope.name() + " (" + scope.network() + ")", null, null);
                    }
                }
            }
            check(ScopeValidator.validateReservation(scope, chosen, hostname));
            Reservation other = state.reservationAt(chosen);
            if (other != null && !other.mac().equals(mac)) {
                throw ScopeException.conflict(ScopeException.Kind.ADDRESS_IN_USE,
                        chosen + " is already reserved for " + other.mac(), "ip", List.of(other.mac().toString()));
            }
            Lease row = state.leaseAt(chosen);
            if (row != null && row.holdsAddressAt(now) && !mac.equals(row.mac())) {
                throw ScopeException.conflict(ScopeException.Kind.ADDRESS_IN_USE, chosen + " is "
                        + row.state().name().toLowerCase() + " to " + row.mac(), "ip", List.of(String.valueOf(row.mac())));
            }
            Reservation reservation = new Reservation(scopeId, mac, chosen, hostname);
            scopeStore.saveReservation(reservation);
            state.putReservation(reservation);
            return reservation;
        } finally {
            state.lock().unlock();
        }
    }

    private static Ipv4Address leasedTo(ScopeState state, MacAddress mac, Instant now) {
        Ipv4Address[] found = {null};
        state.forEachLease(l -> {
            if (found[0] == null && mac.equals(l.mac()) && l.state() == LeaseState.BOUND && l.holdsAddressAt(now)) {
                found[0] = l.address();
            }
        });
        return found[0];
    }

    public Reservation unreserve(UUID scopeId, MacAddress mac) {
        ScopeState state = states.get(scopeId);
        if (state == null) {
            throw ScopeException.notFound("no scope " + scopeId);
        }
        state.lock().lock();
        try {
            if (state.reservationOf(mac) == null) {
                throw ScopeException.notFound("no reservation for " + mac + " in scope " + state.scope().name());
            }
            scopeStore.deleteReservation(scopeId, mac);
            return state.removeReservation(mac);
        } finally {
            state.lock().unlock();
        }
    }

    /** Ends the lease on {@code address} at once (an operator's decision); durable when this returns. */
    public Lease forceRelease(UUID scopeId, Ipv4Address address, String who) {
        ScopeState state = states.get(scopeId);
        if (state == null) {
            throw ScopeException.notFound("no scope " + scopeId);
        }
        List<LeaseChange> changes;
        java.util.concurrent.CompletableFuture<Void> committed;
        Lease released;
        state.lock().lock();
        try {
            Lease row = state.leaseAt(address);
            if (row == null || !row.state().holdsAddress()) {
                throw ScopeException.notFound("no active lease on " + address);
            }
            Instant now = clock.instant();
            released = row.withState(LeaseState.RELEASED, now);
            changes = List.of(new LeaseChange(row, released,
                    LeaseEvent.of(LeaseEventType.FORCE_RELEASED, released, now, "by " + who), true));
            state.apply(changes);
            committed = journal.append(changes);
        } finally {
            state.lock().unlock();
        }
        try {
            committed.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            state.lock().lock();
            try {
                state.revert(changes);
            } finally {
                state.lock().unlock();
            }
            throw new IllegalStateException("lease release was not committed", e);
        }
        return released;
    }

    public Utilization utilization(UUID scopeId) {
        ScopeState state = states.get(scopeId);
        if (state == null) {
            throw ScopeException.notFound("no scope " + scopeId);
        }
        state.lock().lock();
        try {
            return state.utilization(clock.instant());
        } finally {
            state.lock().unlock();
        }
    }

    /** A page of live lease rows matching {@code query}, scopes in network order, and how many match in all. */
    public record LeasePage(List<Lease> leases, int total) {
    }

    public LeasePage leases(LeaseQuery query, int offset, int limit) {
        List<Lease> out = new ArrayList<>();
        int[] matched = {0};
        for (ScopeState state : ordered) {
            if (query.scopeId() != null && !query.scopeId().equals(state.scope().id())) {
                continue;
            }
            if (query.address() != null && !state.scope().network().contains(query.address())) {
                continue;
            }
            state.lock().lock();
            try {
                int before = matched[0];
                int skip = Math.max(0, offset - before);
                out.addAll(state.leases(query, skip, Math.max(0, limit - out.size()), matched));
            } finally {
                state.lock().unlock();
            }
        }
        return new LeasePage(out, matched[0]);
    }

    /** Lease changes still on their way to the store must land before rows are deleted under them. */
    private void awaitStored() {
        if (!journal.awaitStored(java.time.Duration.ofSeconds(30))) {
            throw new IllegalStateException("the lease store is not keeping up with the journal; try again");
        }
    }

    private void checkNoOverlap(Scope scope) {
        for (ScopeState other : ordered) {
            Scope o = other.scope();
            if (!o.id().equals(scope.id()) && o.vlan() == scope.vlan() && o.network().overlaps(scope.network())) {
                throw ScopeException.conflict(ScopeException.Kind.OVERLAPPING_SCOPE, scope.network() + " overlaps scope '"
                        + o.name() + "' (" + o.network() + ") on VLAN " + o.vlan(), "network", List.of(o.id().toString()));
            }
        }
    }

    private void checkUniqueName(Scope scope) {
        for (ScopeState other : ordered) {
            if (!other.scope().id().equals(scope.id()) && other.scope().name().equals(scope.name())) {
                throw ScopeException.conflict(ScopeException.Kind.DUPLICATE_NAME, "a scope named '" + scope.name()
                        + "' already exists", "name", List.of(other.scope().id().toString()));
            }
        }
    }

    private static void check(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw ScopeException.invalid(violations);
        }
    }
}
