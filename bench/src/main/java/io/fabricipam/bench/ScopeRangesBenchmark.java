package io.fabricipam.bench;

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
import io.fabricipam.dhcp.server.ScopeState;
import io.fabricipam.dhcp.server.Utilization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A /16 scope with one large pool, {@code exclusions} single-address exclusions spread over it, 30% of the
 * pool bound and 200 reservations: what a scope change and the utilization report cost, against the former
 * brute force (every pool address, every range scanned for each) run in the same JVM on the same state:
 * <ul>
 * <li>{@code utilization} / {@code utilizationBruteForcePeer}: the per-pool report (API and metrics, under the
 *     scope lock);</li>
 * <li>{@code reconfigure} / {@code rebuildBruteForcePeer}: a new configuration taken in (free set rebuilt), what
 *     every {@code POST .../exclusions} does under the scope lock;</li>
 * <li>{@code validate}: the scope's own checks, as every change runs them;</li>
 * <li>{@code excludedLookup} / {@code excludedScanPeer}: one "is this address excluded?", asked for every
 *     address the server considers.</li>
 * </ul>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class ScopeRangesBenchmark {

    /** 4096 is the cap a scope may have now; 10,000 is what the hostile tester had before the cap. */
    @Param({"100", "4096", "10000"})
    public int exclusions;

    private Scope scope;
    private ScopeState state;
    private Instant now;
    private Ipv4Address probe;
    private int probeIndex;
    private Ipv4Address[] probes;

    @Setup(Level.Trial)
    public void build() {
        Ipv4Network network = Ipv4Network.parse("10.20.0.0/16");
        UUID id = UUID.randomUUID();
        SplittableRandom random = new SplittableRandom(1);
        List<AddressRange> excluded = new ArrayList<>();
        for (int i = 0; i < exclusions; i++) {
            excluded.add(AddressRange.single(network.addressAt(2 + random.nextInt((int) network.size() - 4))));
        }
        scope = new Scope(id, "bench", network, Ipv4Address.parse("10.20.0.1"), 0,
                List.of(new AddressRange(Ipv4Address.parse("10.20.0.2"), Ipv4Address.parse("10.20.255.254"))), excluded,
                3600, null, null, null, null, null, 1);
        now = Instant.parse("2026-11-21T00:00:00Z");
        List<Lease> leases = new ArrayList<>();
        List<Reservation> reservations = new ArrayList<>();
        for (long offset = 2; offset < network.size() - 1; offset++) {
            Ipv4Address a = network.addressAt(offset);
            MacAddress mac = new MacAddress(0x020000000000L | offset);
            if (offset % 300 == 0 && reservations.size() < 200) {
                reservations.add(new Reservation(id, mac, a, null));
            } else if (random.nextDouble() < 0.3) {
                leases.add(new Lease(id, a, ClientKey.ofHardware(mac), mac, null, LeaseState.BOUND, now, now.plusSeconds(3600), "bench"));
            }
        }
        state = new ScopeState(scope, reservations, leases, now);
        probes = new Ipv4Address[1024];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = network.addressAt(2 + random.nextInt((int) network.size() - 4));
        }
        if (!utilization().equals(utilizationBruteForcePeer()) || reconfigure() != rebuildBruteForcePeer()) {
            throw new IllegalStateException("the interval results differ from the brute force");
        }
        System.out.printf("%n# /16 scope, %,d exclusions, %,d bound, %,d reservations, %,d free%n", exclusions, leases.size(),
                reservations.size(), state.freeCount());
    }

    @Benchmark
    public Utilization utilization() {
        return state.utilization(now);
    }

    @Benchmark
    public int reconfigure() {
        state.reconfigure(scope, now);
        return state.freeCount();
    }

    @Benchmark
    public Object validate() {
        return ScopeValidator.validate(scope);
    }

    @Benchmark
    public boolean excludedLookup() {
        return scope.excluded(probes[probeIndex++ & (probes.length - 1)]);
    }

    @Benchmark
    public boolean excludedScanPeer() {
        Ipv4Address a = probes[probeIndex++ & (probes.length - 1)];
        for (AddressRange e : scope.exclusions()) {
            if (e.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** The former ScopeState.utilization: every pool address, a scan of every exclusion for each. */
    @Benchmark
    public Utilization utilizationBruteForcePeer() {
        long[] scopeCounts = new long[6];
        List<Utilization.PoolCounts> pools = new ArrayList<>();
        for (AddressRange pool : scope.pools()) {
            long[] c = new long[6];
            for (long a = pool.start().unsigned(); a <= pool.end().unsigned(); a++) {
                Ipv4Address address = Ipv4Address.ofUnsigned(a);
                if (scanExcluded(address) || ScopeValidator.isSpecial(scope, address)) {
                    continue;
                }
                classify(address, c);
            }
            pools.add(new Utilization.PoolCounts(pool, new Utilization.Counts(c[0], c[1], c[2], c[3], c[4], c[5])));
            for (int i = 0; i < c.length; i++) {
                scopeCounts[i] += c[i];
            }
        }
        for (Reservation r : state.reservations()) {
            if (!scanInPool(r.address()) || scanExcluded(r.address())) {
                classify(r.address(), scopeCounts); // reservations outside pools count in the scope's total
            }
        }
        return new Utilization(new Utilization.Counts(scopeCounts[0], scopeCounts[1], scopeCounts[2], scopeCounts[3],
                scopeCounts[4], scopeCounts[5]), pools);
    }

    /** c: total, bound, offered, reserved, declined, free. */
    private void classify(Ipv4Address address, long[] c) {
        c[0]++;
        Lease row = state.leaseAt(address);
        boolean reserved = state.reservationAt(address) != null;
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

    /** The former rebuildFreeSet's work: for every pool address, the row and a linear isDynamic. */
    @Benchmark
    public int rebuildBruteForcePeer() {
        int free = 0;
        for (AddressRange pool : scope.pools()) {
            for (long a = pool.start().unsigned(); a <= pool.end().unsigned(); a++) {
                Ipv4Address address = Ipv4Address.ofUnsigned(a);
                Lease row = state.leaseAt(address);
                boolean dynamic = scanInPool(address) && !scanExcluded(address) && !ScopeValidator.isSpecial(scope, address)
                        && state.reservationAt(address) == null;
                if ((row == null || !row.state().holdsAddress()) && dynamic) {
                    free++;
                }
            }
        }
        return free;
    }

    private boolean scanInPool(Ipv4Address a) {
        for (AddressRange p : scope.pools()) {
            if (p.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private boolean scanExcluded(Ipv4Address a) {
        for (AddressRange e : scope.exclusions()) {
            if (e.contains(a)) {
                return true;
            }
        }
        return false;
    }
}
