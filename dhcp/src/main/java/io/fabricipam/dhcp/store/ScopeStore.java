package io.fabricipam.dhcp.store;

import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Durable scope configuration and reservations. Writes are optimistic: {@link #save} updates only the
 * version it was given and answers the stored scope with the next version.
 */
public interface ScopeStore {

    /** What identifies a stored scope, readable even when the rest of its row is not. */
    record Entry(UUID id, String name, long version) {
    }

    List<Scope> scopes();

    /**
     * Id, name and version of every stored scope, without reading the rest: when one row cannot be read
     * ({@link #scopes()} fails), the others are read one by one with {@link #scope(UUID)} and the bad one is
     * still known by name.
     */
    default List<Entry> entries() {
        return scopes().stream().map(s -> new Entry(s.id(), s.name(), s.version())).toList();
    }

    Optional<Scope> scope(UUID id);

    /**
     * Inserts the scope when its id is unknown, else updates it if the stored version equals
     * {@code scope.version()}. Returns the scope as stored (version + 1).
     *
     * @throws StaleScopeException when another writer changed the scope first
     */
    Scope save(Scope scope);

    /** Deletes the scope and its reservations; returns false when it did not exist. */
    boolean delete(UUID id);

    List<Reservation> reservations(UUID scopeId);

    /** Inserts or replaces the reservation of {@code reservation.mac()} in its scope. */
    void saveReservation(Reservation reservation);

    boolean deleteReservation(UUID scopeId, MacAddress mac);

    /**
     * A number that every change of a scope or a reservation moves (in the same transaction); equal numbers mean
     * nothing changed in between. Hosts that do not write (a cluster's followers) poll it.
     */
    long revision();
}
