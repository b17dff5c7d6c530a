package io.fabricipam.dhcp.store;

import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A {@link ScopeStore} in memory, for tests and for running without a database. */
public final class InMemoryScopeStore implements ScopeStore {

    private final Map<UUID, Scope> scopes = new LinkedHashMap<>();
    private final Map<UUID, Map<MacAddress, Reservation>> reservations = new LinkedHashMap<>();
    private long revision;

    @Override
    public synchronized List<Scope> scopes() {
        List<Scope> list = new ArrayList<>(scopes.values());
        list.sort(Comparator.comparing(Scope::name));
        return list;
    }

    @Override
    public synchronized Optional<Scope> scope(UUID id) {
        return Optional.ofNullable(scopes.get(id));
    }

    @Override
    public synchronized Scope save(Scope scope) {
        Scope current = scopes.get(scope.id());
        if (current != null && current.version() != scope.version()) {
            throw new StaleScopeException(scope.id(), scope.version(), current.version());
        }
        for (Scope other : scopes.values()) { // as the unique name column of the JDBC stores
            if (other.name().equals(scope.name()) && !other.id().equals(scope.id())) {
                throw new IllegalStateException("a scope named '" + scope.name() + "' already exists");
            }
        }
        Scope stored = scope.withVersion(scope.version() + 1);
        scopes.put(scope.id(), stored);
        revision++;
        return stored;
    }

    @Override
    public synchronized boolean delete(UUID id) {
        reservations.remove(id);
        boolean removed = scopes.remove(id) != null;
        if (removed) {
            revision++;
        }
        return removed;
    }

    @Override
    public synchronized long revision() {
        return revision;
    }

    @Override
    public synchronized List<Reservation> reservations(UUID scopeId) {
        List<Reservation> list = new ArrayList<>(reservations.getOrDefault(scopeId, Map.of()).values());
        list.sort(Comparator.comparing(Reservation::address));
        return list;
    }

    @Override
    public synchronized void saveReservation(Reservation reservation) {
        // Same refusals as the JDBC stores (foreign key, column size), so that tests on memory see them too.
        if (!scopes.containsKey(reservation.scopeId())) {
            throw new IllegalStateException("no scope " + reservation.scopeId());
        }
        if (reservation.hostname() != null && reservation.hostname().length() > InMemoryLeaseStore.MAX_HOSTNAME) {
            throw new IllegalArgumentException("a host name has at most " + InMemoryLeaseStore.MAX_HOSTNAME + " characters");
        }
        Map<MacAddress, Reservation> byMac = reservations.computeIfAbsent(reservation.scopeId(), k -> new LinkedHashMap<>());
        for (Reservation other : byMac.values()) {
            if (other.address().equals(reservation.address()) && !other.mac().equals(reservation.mac())) {
                throw new IllegalStateException(reservation.address() + " is already reserved for " + other.mac());
            }
        }
        byMac.put(reservation.mac(), reservation);
        revision++;
    }

    @Override
    public synchronized boolean deleteReservation(UUID scopeId, MacAddress mac) {
        Map<MacAddress, Reservation> byMac = reservations.get(scopeId);
        boolean removed = byMac != null && byMac.remove(mac) != null;
        if (removed) {
            revision++;
        }
        return removed;
    }
}
