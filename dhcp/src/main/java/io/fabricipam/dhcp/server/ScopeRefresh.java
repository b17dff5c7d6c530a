package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.ScopeStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Brings a host's scope directory up to what the store holds after another host changed it (a cluster's
 * follower learning of the leader's changes): each scope whose configuration or reservations differ from
 * memory is rebuilt with its stored leases, a new one is added, a deleted one leaves; the others are not
 * touched. A scope that cannot be loaded is reported as at start ({@link UnloadableScope}). The caller
 * serialises it with every other change of the directory.
 */
final class ScopeRefresh {

    private ScopeRefresh() {
    }

    /** Returns how many scopes were added, rebuilt or removed. */
    static int apply(ScopeDirectory directory, ScopeStore scopes, LeaseStore leases, Instant now,
            Map<UUID, UnloadableScope> unloadable) {
        int changed = 0;
        Set<UUID> stored = new HashSet<>();
        for (Scope scope : scopes.scopes()) {
            stored.add(scope.id());
            List<Reservation> reservations = scopes.reservations(scope.id());
            ScopeState live = directory.state(scope.id()).orElse(null);
            if (live != null && live.scope().equals(scope)
                    && Set.copyOf(live.reservations()).equals(Set.copyOf(reservations))) {
                continue;
            }
            changed++;
            try {
                List<Lease> rows = leases.leases(scope.id()); // in address order, as a load sees them
                directory.put(new ScopeState(scope, reservations, rows, now));
                unloadable.remove(scope.id());
            } catch (RuntimeException e) {
                directory.remove(scope.id());
                unloadable.put(scope.id(), new UnloadableScope(scope.id(), scope.name(), scope.version(), scope,
                        ScopeException.describe(e)));
            }
        }
        for (ScopeState s : directory.states()) {
            if (!stored.contains(s.scope().id())) {
                directory.remove(s.scope().id());
                changed++;
            }
        }
        unloadable.keySet().retainAll(stored);
        return changed;
    }
}
