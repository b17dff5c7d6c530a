package io.fabricipam.dhcp.testing;

import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.store.InMemoryScopeStore;
import io.fabricipam.dhcp.store.ScopeStore;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An in-memory scope store whose writes pass a {@link WriteGate}: a slow or failing database, on demand. */
public final class GatedScopeStore implements ScopeStore {

    public final WriteGate gate = new WriteGate();
    private final InMemoryScopeStore store = new InMemoryScopeStore();

    @Override
    public List<Scope> scopes() {
        return store.scopes();
    }

    @Override
    public Optional<Scope> scope(UUID id) {
        return store.scope(id);
    }

    @Override
    public Scope save(Scope scope) {
        gate.pass();
        return store.save(scope);
    }

    @Override
    public boolean delete(UUID id) {
        gate.pass();
        return store.delete(id);
    }

    @Override
    public List<Reservation> reservations(UUID scopeId) {
        return store.reservations(scopeId);
    }

    @Override
    public void saveReservation(Reservation reservation) {
        gate.pass();
        store.saveReservation(reservation);
    }

    @Override
    public boolean deleteReservation(UUID scopeId, MacAddress mac) {
        gate.pass();
        return store.deleteReservation(scopeId, mac);
    }

    @Override
    public long revision() {
        return store.revision();
    }
}
