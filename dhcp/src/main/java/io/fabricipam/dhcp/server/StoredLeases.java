package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every lease a start must know, by scope: the store's rows read in one pass (a table scan, not a look-up per
 * row), with the changes the journal recovered and the store does not have yet applied on top (each replaces
 * its address's row, or removes it; see {@code LeaseJournal#recovered}); each scope's rows in address order,
 * as {@link LeaseStore#leases} gives them: which of a client's equal-ranked rows a {@link ScopeState} keeps
 * depends on the order it sees them in.
 */
final class StoredLeases {

    private static final Comparator<Lease> BY_ADDRESS = Comparator.comparingLong(l -> l.address().unsigned());

    private record Key(UUID scopeId, Ipv4Address address) {
    }

    private StoredLeases() {
    }

    /**
     * @param recovered read from the journal before the store is read (the copy may finish in between: then
     *                  the store and these changes hold the same rows)
     */
    static Map<UUID, List<Lease>> read(LeaseStore store, List<LeaseChange> recovered) {
        Map<Key, Lease> newer = new LinkedHashMap<>(); // the last change of each address; a null value removes the row
        for (LeaseChange change : recovered) {
            newer.put(new Key(change.scopeId(), change.address()), change.after());
        }
        Map<UUID, List<Lease>> leases = new HashMap<>();
        store.forEachLease(l -> {
            if (newer.isEmpty() || !newer.containsKey(new Key(l.scopeId(), l.address()))) {
                leases.computeIfAbsent(l.scopeId(), id -> new ArrayList<>()).add(l);
            }
        });
        for (Lease l : newer.values()) {
            if (l != null) {
                leases.computeIfAbsent(l.scopeId(), id -> new ArrayList<>()).add(l);
            }
        }
        leases.values().forEach(rows -> rows.sort(BY_ADDRESS));
        return leases;
    }
}
