package io.fabricipam.dhcp.server;

import static io.fabricipam.dhcp.server.ScopeRetirement.underLock;

import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.lease.Lease;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' changes to scopes and reservations: each reaches the store and the live state together, so
 * the next DHCP exchange uses it, and a slow or failing database never stalls DHCP answers.
 *
 * <p><b>Protocol.</b> Operators' changes are serialised by this class's own lock, which DHCP workers never
 * take; it is held across store I/O. A scope's lock, which workers contend on, is taken only to check and
 * switch memory, never across I/O. Every change goes:
 * <ol>
 * <li><i>check and tighten</i> (scope lock): check the change against the live state, and withhold from
 *     the workers whatever the change could take away (an {@link AddressFence} of the addresses a new
 *     configuration drops, a reservation's address) or stop routing to the scope (deletion, new network);</li>
 * <li><i>write</i> (no scope lock): the store;</li>
 * <li><i>settle</i> (scope lock): on success switch memory to what was stored; on failure undo step 1.</li>
 * </ol>
 * Between 1 and 3 DHCP goes on from what both the old and the new configuration allow, so memory and store
 * agree after every outcome (success, store failure, stale version). What loosens (removing a reservation,
 * unloading nothing) is written first and applied to memory afterwards.
 *
 * <p><b>Deletion</b> (and a move to another network, which drops the old leases): the scope leaves the
 * {@link ScopeDirectory} first, so no new request reaches it; then its lock is taken once to retire it (a
 * worker that picked it before sees it retired and drops the request, NO_SCOPE; decisions made before are
 * complete); then the journal is awaited until everything appended for it is in the lease store; only then
 * are its lease rows and the scope deleted, so no late commit can leave an orphan row. If the lease rows
 * cannot be deleted, the scope goes back as it was; if the scope row cannot be deleted after its leases
 * were, it goes back without leases, as the store has it.
 *
 * <p>Loading: each stored scope on its own. One that cannot be loaded is logged once, listed by
 * {@link #unloadable()} (health, API) and not served; the others are. PUT (update) fixes it, delete removes it.
 */
public final class ScopeAdministration {

    private static final Logger log = LoggerFactory.getLogger(ScopeAdministration.class);
    /** How long a deletion waits for the journal to store what is on its way; then it gives up, changing nothing. */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(30);

    private final ScopeDirectory directory;
    private final ScopeStore scopeStore;
    private final LeaseStore leaseStore;
    private final Clock clock;
    private final ScopeRetirement retirement;
    private final LeaseJournal journal;
    /** Serialises operators' changes; DHCP workers never take it. */
    private final ReentrantLock changes = new ReentrantLock();
    private final Map<UUID, UnloadableScope> unloadable = new ConcurrentHashMap<>();

    public ScopeAdministration(ScopeDirectory directory, ScopeStore scopeStore, LeaseStore leaseStore, LeaseJournal journal,
            Clock clock) {
        this(directory, scopeStore, leaseStore, journal, clock, DRAIN_WAIT);
    }

    ScopeAdministration(ScopeDirectory directory, ScopeStore scopeStore, LeaseStore leaseStore, LeaseJournal journal,
            Clock clock, Duration drainWait) {
        this.directory = directory;
        this.scopeStore = scopeStore;
        this.leaseStore = leaseStore;
        this.clock = clock;
        this.journal = journal;
        this.retirement = new ScopeRetirement(directory, journal, clock, drainWait);
    }

    /**
     * (Re)loads every scope with its reservations and leases, each on its own: one that cannot be loaded is
     * logged, listed by {@link #unloadable()} and skipped. Fails only when the store cannot list scopes at all.
     */
    public void load() {
        changes.lock();
        try {
            List<UnloadableScope> broken = new ArrayList<>();
            List<ScopeState> loaded = new ArrayList<>();
            Instant now = clock.instant();
            // what the journal has that the store may not have yet: read before the store
            List<LeaseChange> recovered = journal.recovered();
            Map<UUID, List<Lease>> leases = StoredLeases.read(leaseStore, recovered);
            for (Scope scope : readAll(broken)) {
                try {
                    List<Lease> rows = leases.getOrDefault(scope.id(), List.of());
                    loaded.add(new ScopeState(scope, scopeStore.reservations(scope.id()), rows, now));
                } catch (RuntimeException e) {
                    broken.add(new UnloadableScope(scope.id(), scope.name(), scope.version(), scope, ScopeException.describe(e)));
                }
            }
            unloadable.clear();
            for (UnloadableScope u : broken) {
                unloadable.put(u.id(), u);
                log.error("scope '{}' ({}) cannot be loaded and is not served: {}. Fix it with PUT /api/v1/scopes/{}"
                        + " or delete it.", u.name(), u.id(), u.reason(), u.id());
            }
            directory.replaceAll(loaded);
        } finally {
            changes.unlock();
        }
    }

    /**
     * Brings memory up to what the store holds after another host changed it (a cluster's follower; see
     * {@link ScopeRefresh}); returns how many scopes changed. Not for a host that writes: its memory is current.
     */
    public int refresh() {
        changes.lock();
        try {
            return ScopeRefresh.apply(directory, scopeStore, leaseStore, clock.instant(), unloadable);
        } finally {
            changes.unlock();
        }
    }

    /** Every stored scope that can be read; when one row cannot, the others are read one by one. */
    private List<Scope> readAll(List<UnloadableScope> broken) {
        try {
            return scopeStore.scopes();
        } catch (RuntimeException whole) {
            List<Scope> read = new ArrayList<>();
            for (ScopeStore.Entry e : scopeStore.entries()) {
                try {
                    scopeStore.scope(e.id()).ifPresent(read::add);
                } catch (RuntimeException one) {
                    broken.add(new UnloadableScope(e.id(), e.name(), e.version(), null, ScopeException.describe(one)));
                }
            }
            return read;
        }
    }

    /** Stored scopes that could not be loaded, by name. */
    public List<UnloadableScope> unloadable() {
        return unloadable.values().stream().sorted(Comparator.comparing(UnloadableScope::name)).toList();
    }

    public Optional<UnloadableScope> unloadable(UUID id) {
        return Optional.ofNullable(unloadable.get(id));
    }

    public Scope create(Scope draft) {
        check(ScopeValidator.validate(draft));
        changes.lock();
        try {
            if (directory.state(draft.id()).isPresent() || unloadable.containsKey(draft.id())) {
                throw ScopeException.conflict(ScopeException.Kind.DUPLICATE_NAME, "scope " + draft.id() + " already exists", "id", null);
            }
            checkNoOverlap(draft);
            checkUniqueName(draft);
            // Prepared before the write, invisible to workers: what cannot be served is never stored.
            ScopeState state = prepare(draft.withVersion(1), List.of(), List.of());
            Scope stored = scopeStore.save(draft.withVersion(0));
            settle(state, stored);
            directory.put(state);
            return stored;
        } finally {
            changes.unlock();
        }
    }

    /**
     * Replaces a scope's configuration (or repairs one that could not be loaded). Refused when bound leases
     * would fall outside every pool and reservation (listing them), or when the network changes while leases
     * are bound.
     */
    public Scope update(Scope updated) {
        check(ScopeValidator.validate(updated));
        changes.lock();
        try {
            if (unloadable.containsKey(updated.id())) {
                return repair(updated);
            }
            ScopeState state = live(updated.id());
            checkNoOverlap(updated);
            checkUniqueName(updated);
            Scope current = state.scope();
            checkVersion(current.id(), current.version(), updated.version());
            options(updated);
            if (!current.network().equals(updated.network())) {
                return move(state, updated);
            }
            state.lock().lock();
            try {
                retirement.refuseStranded(state, updated, false);
                state.fence(AddressFence.between(current, updated));
            } finally {
                state.lock().unlock();
            }
            Scope stored;
            try {
                stored = save(updated);
            } catch (RuntimeException e) {
                underLock(state, state::unfence);
                throw e;
            }
            underLock(state, () -> state.reconfigure(stored, clock.instant()));
            directory.changed();
            return stored;
        } finally {
            changes.unlock();
        }
    }

    /** A new network: the old leases go (none may be bound), the reservations come along if they fit. */
    private Scope move(ScopeState state, Scope updated) {
        for (Reservation r : state.reservations()) {
            List<Violation> v = ScopeValidator.validateReservation(updated, r.address(), r.hostname());
            if (!v.isEmpty()) {
                throw ScopeException.invalid("network", "the reservation of " + r.mac() + " (" + r.address()
                        + ") does not fit the new network: " + v.get(0).message() + "; move or delete it first");
            }
        }
        ScopeState next = prepare(updated.withVersion(updated.version() + 1), state.reservations(), List.of());
        retirement.retire(state, updated, false);
        try {
            retirement.drain(state);
            leaseStore.deleteLeases(state.scope().id());
        } catch (RuntimeException e) {
            retirement.reinstate(state);
            throw e;
        }
        Scope stored;
        try {
            stored = save(updated);
        } catch (RuntimeException e) {
            directory.put(retirement.withoutLeases(state)); // the lease rows are gone from the store
            throw e;
        }
        settle(next, stored);
        directory.put(next);
        return stored;
    }

    /** PUT of a scope that could not be loaded: stored only if it now loads, with its reservations and leases. */
    private Scope repair(Scope updated) {
        UnloadableScope broken = unloadable.get(updated.id());
        checkNoOverlap(updated);
        checkUniqueName(updated);
        checkVersion(broken.id(), broken.version(), updated.version());
        options(updated);
        ScopeState state;
        try {
            state = new ScopeState(updated.withVersion(updated.version() + 1), scopeStore.reservations(updated.id()),
                    leaseStore.leases(updated.id()), clock.instant());
        } catch (IllegalArgumentException e) {
            throw ScopeException.invalid("scope", "scope '" + updated.name() + "' would still not load: " + ScopeException.describe(e));
        }
        Scope stored = save(updated);
        settle(state, stored);
        unloadable.remove(updated.id());
        directory.put(state);
        log.info("scope '{}' ({}) repaired and served again", stored.name(), stored.id());
        return stored;
    }

    /** Deletes a scope; refused while it has bound leases unless {@code force}. */
    public void delete(UUID id, boolean force) {
        changes.lock();
        try {
            if (unloadable.containsKey(id)) {
                leaseStore.deleteLeases(id); // never loaded: no worker and no journal change can touch it
                scopeStore.delete(id);
                unloadable.remove(id);
                return;
            }
            ScopeState state = live(id);
            retirement.retire(state, null, force);
            try {
                retirement.drain(state);
                leaseStore.deleteLeases(id);
            } catch (RuntimeException e) {
                retirement.reinstate(state);
                throw e;
            }
            try {
                scopeStore.delete(id);
            } catch (RuntimeException e) {
                directory.put(retirement.withoutLeases(state)); // the lease rows are gone from the store
                throw e;
            }
        } finally {
            changes.unlock();
        }
    }

    /**
     * Binds {@code mac} to {@code address} in the scope, or, when {@code address} is null, to the next free
     * address (the AHV model: the VM's address is known before it boots). The address is claimed in memory
     * before the reservation is written, so parallel calls and clients never get it; a moved reservation's
     * old address stays withheld until the write ends. A store failure puts the previous reservation back.
     * The reserved client itself may take its address during the write; that lease stands either way (the
     * store has it too).
     */
    public Reservation reserve(UUID scopeId, MacAddress mac, Ipv4Address address, String hostname) {
        changes.lock();
        try {
            ScopeState state = live(scopeId);
            Reservation previous;
            Reservation reservation;
            state.lock().lock();
            try {
                previous = state.reservationOf(mac);
                reservation = new Reservation(scopeId, mac, choose(state, mac, address, hostname), hostname);
                if (reservation.equals(previous)) {
                    return reservation; // asked again: already stored
                }
                if (previous != null && !previous.address().equals(reservation.address())) {
                    state.fence(AddressFence.of(previous.address()));
                }
                state.putReservation(reservation);
            } finally {
                state.lock().unlock();
            }
            try {
                scopeStore.saveReservation(reservation);
            } catch (RuntimeException e) {
                underLock(state, () -> {
                    if (previous != null) {
                        state.putReservation(previous);
                    } else {
                        state.removeReservation(mac);
                    }
                    state.unfence();
                });
                throw e;
            }
            underLock(state, state::unfence);
            return reservation;
        } finally {
            changes.unlock();
        }
    }

    /** The address a reservation gets: the one asked for, else the MAC's reservation or lease, else the next free. */
    private Ipv4Address choose(ScopeState state, MacAddress mac, Ipv4Address address, String hostname) {
        Scope scope = state.scope();
        Instant now = clock.instant();
        Ipv4Address chosen = address;
        Reservation existing = state.reservationOf(mac);
        if (chosen == null) {
            chosen = existing != null ? existing.address() : leasedTo(state, mac, now); // the same MAC asks again
            if (chosen == null) {
                chosen = state.nextFree();
            }
            if (chosen == null) {
                throw ScopeException.conflict(ScopeException.Kind.POOL_EXHAUSTED,
                        "no free address left in scope " + scope.name() + " (" + scope.network() + ")", null, null);
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
        return chosen;
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

    /** Removes a reservation: from the store first, then from memory (it loosens: nothing to hold back). */
    public Reservation unreserve(UUID scopeId, MacAddress mac) {
        changes.lock();
        try {
            ScopeState state = live(scopeId);
            Reservation existing;
            state.lock().lock();
            try {
                existing = state.reservationOf(mac);
            } finally {
                state.lock().unlock();
            }
            if (existing == null) {
                throw ScopeException.notFound("no reservation for " + mac + " in scope " + state.scope().name());
            }
            scopeStore.deleteReservation(scopeId, mac);
            underLock(state, () -> state.removeReservation(mac));
            return existing;
        } finally {
            changes.unlock();
        }
    }

    /** A live scope, or NOT_FOUND (naming why when it could not be loaded). */
    private ScopeState live(UUID id) {
        ScopeState state = directory.state(id).orElse(null);
        if (state != null) {
            return state;
        }
        UnloadableScope broken = unloadable.get(id);
        if (broken != null) {
            throw ScopeException.notFound("scope '" + broken.name() + "' could not be loaded (" + broken.reason()
                    + "); fix it with PUT or delete it");
        }
        throw ScopeException.notFound("no scope " + id);
    }

    private Scope save(Scope scope) {
        try {
            return scopeStore.save(scope);
        } catch (StaleScopeException e) {
            throw ScopeException.conflict(ScopeException.Kind.STALE, e.getMessage(), "version", null);
        }
    }

    /** The store answers version + 1; should it answer anything else, memory takes what it says. */
    private void settle(ScopeState state, Scope stored) {
        if (!stored.equals(state.scope())) {
            underLock(state, () -> state.reconfigure(stored, clock.instant()));
        }
    }

    private ScopeState prepare(Scope scope, Collection<Reservation> reservations, Collection<Lease> leases) {
        options(scope);
        return new ScopeState(scope, reservations, leases, clock.instant());
    }

    /** The scope's options as DHCP carries them; a value that cannot be carried is refused before anything is stored. */
    private static void options(Scope scope) {
        try {
            ScopeOptionSet.of(scope);
        } catch (IllegalArgumentException e) {
            throw ScopeException.invalid("options", e.getMessage());
        }
    }

    private static void checkVersion(UUID id, long current, long given) {
        if (given != current) {
            throw ScopeException.conflict(ScopeException.Kind.STALE, "scope " + id + " is at version " + current
                    + ", not " + given, "version", null);
        }
    }

    private void checkNoOverlap(Scope scope) {
        for (ScopeState other : directory.states()) {
            Scope o = other.scope();
            if (!o.id().equals(scope.id()) && o.vlan() == scope.vlan() && o.network().overlaps(scope.network())) {
                throw ScopeException.conflict(ScopeException.Kind.OVERLAPPING_SCOPE, scope.network() + " overlaps scope '"
                        + o.name() + "' (" + o.network() + ") on VLAN " + o.vlan(), "network", List.of(o.id().toString()));
            }
        }
    }

    private void checkUniqueName(Scope scope) {
        List<UUID> taken = new ArrayList<>();
        directory.states().stream().filter(s -> s.scope().name().equals(scope.name())).forEach(s -> taken.add(s.scope().id()));
        unloadable.values().stream().filter(u -> u.name().equals(scope.name())).forEach(u -> taken.add(u.id()));
        taken.remove(scope.id());
        if (!taken.isEmpty()) {
            throw ScopeException.conflict(ScopeException.Kind.DUPLICATE_NAME, "a scope named '" + scope.name()
                    + "' already exists", "name", List.of(taken.get(0).toString()));
        }
    }

    private static void check(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw ScopeException.invalid(violations);
        }
    }
}
