package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeValidator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A scope's utilization: counts per state over the whole scope and over each pool, from a {@link ScopeState}
 * whose lock the caller holds. Cost: O(pools x log exclusions + rows x log pools + reservations), never a
 * look at every pool address, so a /8 with thousands of exclusions answers in milliseconds; meant for the
 * API and metrics, not the DHCP path.
 */
final class ScopeUtilization {

    // the columns of a count row: total, bound, offered, reserved, declined, free
    private static final int TOTAL = 0;
    private static final int BOUND = 1;
    private static final int OFFERED = 2;
    private static final int RESERVED = 3;
    private static final int DECLINED = 4;
    private static final int FREE = 5;
    private static final int COLUMNS = 6;

    private final ScopeState state;
    private final Scope scope;
    private final Instant now;

    private ScopeUtilization(ScopeState state, Instant now) {
        this.state = state;
        this.scope = state.scope();
        this.now = now;
    }

    static Utilization of(ScopeState state, Instant now) {
        return new ScopeUtilization(state, now).count();
    }

    private Utilization count() {
        Ipv4Network network = scope.network();
        List<AddressRange> poolList = scope.pools();
        PoolIndex index = new PoolIndex(poolList);
        long[][] c = new long[poolList.size()][COLUMNS];
        long[] taken = new long[poolList.size()]; // counted addresses that are held or reserved: not free
        long hostFirst = network.prefixLength() >= 31 ? network.address().unsigned() : network.address().unsigned() + 1;
        long hostLast = network.prefixLength() >= 31 ? network.broadcast().unsigned() : network.broadcast().unsigned() - 1;
        List<Ipv4Address> specials = new ArrayList<>(2);
        for (Ipv4Address a : new Ipv4Address[] {scope.gateway(), scope.serverIdentifier()}) {
            if (a != null && !specials.contains(a) && !scope.excluded(a)) {
                specials.add(a);
            }
        }
        for (int p = 0; p < poolList.size(); p++) {
            long lo = Math.max(poolList.get(p).start().unsigned(), hostFirst);
            long hi = Math.min(poolList.get(p).end().unsigned(), hostLast);
            if (lo > hi) {
                continue;
            }
            long total = hi - lo + 1 - scope.exclusionSet().countWithin(lo, hi);
            for (Ipv4Address special : specials) {
                if (special.unsigned() >= lo && special.unsigned() <= hi) {
                    total--;
                }
            }
            c[p][TOTAL] = total;
        }
        state.forEachLease(row -> {
            if (row.holdsAddressAt(now) && counted(row.address())) {
                int slot = switch (row.state()) {
                    case BOUND -> BOUND;
                    case OFFERED -> OFFERED;
                    case DECLINED -> DECLINED;
                    default -> -1;
                };
                index.forEachContaining(row.address(), p -> {
                    if (slot > 0) {
                        c[p][slot]++;
                    }
                    taken[p]++;
                });
            }
        });
        long[] scopeCounts = new long[COLUMNS];
        for (Reservation r : state.reservations()) {
            Ipv4Address address = r.address();
            if (scope.inPool(address) && counted(address)) {
                Lease row = state.leaseAt(address);
                boolean held = row != null && row.holdsAddressAt(now);
                index.forEachContaining(address, p -> {
                    c[p][RESERVED]++;
                    if (!held) {
                        taken[p]++;
                    }
                });
            } else if (!scope.inPool(address) || scope.excluded(address)) {
                classify(address, scopeCounts); // reservations outside pools count in the scope's total
            }
        }
        List<Utilization.PoolCounts> pools = new ArrayList<>(poolList.size());
        for (int p = 0; p < poolList.size(); p++) {
            c[p][FREE] = c[p][TOTAL] - taken[p];
            pools.add(new Utilization.PoolCounts(poolList.get(p), counts(c[p])));
            for (int i = 0; i < COLUMNS; i++) {
                scopeCounts[i] += c[p][i];
            }
        }
        return new Utilization(counts(scopeCounts), pools);
    }

    /** A pool address that counts in utilization: not excluded, not special. */
    private boolean counted(Ipv4Address address) {
        return !scope.excluded(address) && !ScopeValidator.isSpecial(scope, address);
    }

    private void classify(Ipv4Address address, long[] c) {
        c[TOTAL]++;
        Lease row = state.leaseAt(address);
        boolean reserved = state.reservationAt(address) != null;
        if (reserved) {
            c[RESERVED]++;
        }
        if (row != null && row.holdsAddressAt(now)) {
            switch (row.state()) {
                case BOUND -> c[BOUND]++;
                case OFFERED -> c[OFFERED]++;
                case DECLINED -> c[DECLINED]++;
                default -> { }
            }
        } else if (!reserved) {
            c[FREE]++;
        }
    }

    private static Utilization.Counts counts(long[] c) {
        return new Utilization.Counts(c[TOTAL], c[BOUND], c[OFFERED], c[RESERVED], c[DECLINED], c[FREE]);
    }
}
