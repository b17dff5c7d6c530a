package io.fabricipam.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Utilization and the free set, computed from merged intervals, give exactly what the former brute force gave
 * (a look at every pool address, a scan of every range for each), on random scopes: overlapping and nested
 * pools and exclusions, pools over the network and broadcast addresses, gateway and server identifier inside
 * or outside pools, reservations in and out of pools, rows in every state, some expired.
 */
class ScopeStateRangesTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void utilizationAndTheFreeSetMatchTheBruteForceOnRandomScopes() {
        SplittableRandom random = new SplittableRandom(99);
        for (int round = 0; round < 400; round++) {
            Scope scope = randomScope(random);
            List<Reservation> reservations = randomReservations(random, scope);
            ScopeState state = new ScopeState(scope, reservations, List.of(), NOW);
            state.apply(randomRows(random, scope));
            // a reconfiguration rebuilds the free set with rows and reservations in place
            Scope reconfigured = random.nextBoolean() ? scope : scope.withExclusions(randomRanges(random, scope.network(), 6));
            state.reconfigure(reconfigured, NOW);

            Map<Ipv4Address, Lease> rows = new HashMap<>();
            state.forEachLease(l -> rows.put(l.address(), l));
            Map<Ipv4Address, Reservation> byAddress = new HashMap<>();
            for (Reservation r : state.reservations()) {
                byAddress.put(r.address(), r);
            }
            String context = "round " + round + ": " + reconfigured;
            assertThat(state.utilization(NOW)).as(context)
                    .isEqualTo(BruteForce.utilization(reconfigured, rows, byAddress, state.reservations(), NOW));
            Set<Ipv4Address> expectedFree = BruteForce.free(reconfigured, rows, byAddress);
            assertThat(state.freeCount()).as(context).isEqualTo(expectedFree.size());
            assertThat(drain(state, reconfigured)).as(context).isEqualTo(expectedFree);
        }
    }

    /** Takes every free address in turn (as offers), which is the only way the state lets one see its free set. */
    private static Set<Ipv4Address> drain(ScopeState state, Scope scope) {
        Set<Ipv4Address> taken = new HashSet<>();
        for (Ipv4Address a = state.nextFree(); a != null; a = state.nextFree()) {
            assertThat(taken.add(a)).as("%s handed out twice", a).isTrue();
            Lease offer = new Lease(scope.id(), a, ClientKey.ofHardware(new MacAddress(taken.size())), new MacAddress(taken.size()),
                    null, LeaseState.OFFERED, NOW, NOW.plusSeconds(30), "test");
            state.apply(List.of(new LeaseChange(state.leaseAt(a), offer, null, false)));
        }
        return taken;
    }

    private static Scope randomScope(SplittableRandom r) {
        int prefix = 22 + r.nextInt(9); // /22 to /30
        Ipv4Network network = Ipv4Network.containing(Ipv4Address.parse("10.0.0.0").plus(r.nextInt(1 << 20) << 10), prefix);
        Ipv4Address gateway = r.nextInt(4) == 0 ? null : anyAddress(r, network);
        Ipv4Address serverId = r.nextInt(3) == 0 ? anyAddress(r, network) : null;
        return new Scope(UUID.randomUUID(), "s", network, gateway, 0, randomRanges(r, network, 5), randomRanges(r, network, 8),
                3600, null, null, null, serverId, null, 1);
    }

    private static List<AddressRange> randomRanges(SplittableRandom r, Ipv4Network network, int most) {
        List<AddressRange> out = new ArrayList<>();
        for (int i = r.nextInt(most + 1); i > 0; i--) {
            long start = r.nextLong(network.size());
            long end = Math.min(network.size() - 1, start + r.nextLong(Math.max(1, network.size() / (r.nextBoolean() ? 2 : 16))));
            out.add(new AddressRange(network.addressAt(start), network.addressAt(end)));
        }
        return out;
    }

    private static Ipv4Address anyAddress(SplittableRandom r, Ipv4Network network) {
        return network.addressAt(r.nextLong(network.size()));
    }

    private static List<Reservation> randomReservations(SplittableRandom r, Scope scope) {
        List<Reservation> out = new ArrayList<>();
        Set<Ipv4Address> used = new HashSet<>();
        for (int i = r.nextInt(8); i > 0; i--) {
            Ipv4Address a = anyAddress(r, scope.network());
            if (used.add(a)) {
                out.add(new Reservation(scope.id(), new MacAddress(0x020000000000L + i), a, null));
            }
        }
        return out;
    }

    private static List<LeaseChange> randomRows(SplittableRandom r, Scope scope) {
        List<LeaseChange> out = new ArrayList<>();
        Set<Ipv4Address> used = new HashSet<>();
        LeaseState[] states = LeaseState.values();
        for (int i = r.nextInt((int) Math.min(64, scope.network().size())); i > 0; i--) {
            Ipv4Address a = anyAddress(r, scope.network());
            if (!used.add(a)) {
                continue;
            }
            MacAddress mac = new MacAddress(0x0a0000000000L + i);
            Instant expires = NOW.plusSeconds(r.nextBoolean() ? 600 : -600);
            out.add(new LeaseChange(null, new Lease(scope.id(), a, ClientKey.ofHardware(mac), mac, null,
                    states[r.nextInt(states.length)], NOW.minusSeconds(700), expires, "test"), null, false));
        }
        return out;
    }

    /** The former implementation, kept as the reference: every pool address, every range scanned for each. */
    static final class BruteForce {

        static boolean inPool(Scope s, Ipv4Address a) {
            return s.pools().stream().anyMatch(p -> p.contains(a));
        }

        static boolean excluded(Scope s, Ipv4Address a) {
            return s.exclusions().stream().anyMatch(e -> e.contains(a));
        }

        static Set<Ipv4Address> free(Scope scope, Map<Ipv4Address, Lease> rows, Map<Ipv4Address, Reservation> reserved) {
            Set<Ipv4Address> free = new LinkedHashSet<>();
            for (AddressRange pool : scope.pools()) {
                for (long a = pool.start().unsigned(); a <= pool.end().unsigned(); a++) {
                    Ipv4Address address = Ipv4Address.ofUnsigned(a);
                    Lease row = rows.get(address);
                    boolean dynamic = inPool(scope, address) && !excluded(scope, address)
                            && !ScopeValidator.isSpecial(scope, address) && !reserved.containsKey(address);
                    if ((row == null || !row.state().holdsAddress()) && dynamic) {
                        free.add(address);
                    }
                }
            }
            return free;
        }

        static Utilization utilization(Scope scope, Map<Ipv4Address, Lease> rows, Map<Ipv4Address, Reservation> byAddress,
                java.util.Collection<Reservation> reservations, Instant now) {
            long[] scopeCounts = new long[6];
            List<Utilization.PoolCounts> pools = new ArrayList<>();
            for (AddressRange pool : scope.pools()) {
                long[] c = new long[6];
                for (long a = pool.start().unsigned(); a <= pool.end().unsigned(); a++) {
                    Ipv4Address address = Ipv4Address.ofUnsigned(a);
                    if (excluded(scope, address) || ScopeValidator.isSpecial(scope, address)) {
                        continue;
                    }
                    classify(address, rows, byAddress, now, c);
                }
                pools.add(new Utilization.PoolCounts(pool, counts(c)));
                for (int i = 0; i < c.length; i++) {
                    scopeCounts[i] += c[i];
                }
            }
            for (Reservation r : reservations) {
                if (!inPool(scope, r.address()) || excluded(scope, r.address())) {
                    classify(r.address(), rows, byAddress, now, scopeCounts);
                }
            }
            return new Utilization(counts(scopeCounts), pools);
        }

        private static void classify(Ipv4Address address, Map<Ipv4Address, Lease> rows,
                Map<Ipv4Address, Reservation> byAddress, Instant now, long[] c) {
            c[0]++;
            Lease row = rows.get(address);
            boolean reserved = byAddress.containsKey(address);
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
    }
}
