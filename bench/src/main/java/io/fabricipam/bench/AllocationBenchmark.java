package io.fabricipam.bench;

import io.fabricipam.dhcp.codec.DhcpRequest;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.Decision;
import io.fabricipam.dhcp.server.DhcpResponder;
import io.fabricipam.dhcp.server.ResponderSettings;
import io.fabricipam.dhcp.server.ScopeState;
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
 * Allocation on a /12 scope (1,048,574 usable addresses) filled with BOUND leases to {@code fullness},
 * either at random ({@code fill=random}) or from the start of the pool as clients arrive one after the
 * other ({@code fill=sequential}, the free addresses all at the end):
 * <ul>
 * <li>{@code discover}: a whole DHCPDISCOVER through the responder and the scope state (find the next free
 *     address, build the offer, apply it), then the offer is withdrawn so the fullness stays put;</li>
 * <li>{@code nextFree}: our free-address lookup alone (the hierarchical bitmap);</li>
 * <li>{@code firstFreeScanPeer}: the textbook way, walking the pool from its start and asking the lease
 *     index about each candidate until one is free (an allocator without a free-address index), on the
 *     same occupancy.</li>
 * </ul>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class AllocationBenchmark {

    @Param({"0.5", "0.99", "0.9999"})
    public double fullness;

    @Param({"random", "sequential"})
    public String fill;

    private ScopeState state;
    private java.util.Map<Integer, Lease> leaseIndex;
    private int poolStart;
    private int poolEnd;
    private DhcpResponder responder;
    private DhcpRequest discover;
    private Ipv4Address serverId;
    private Instant now;

    @Setup(Level.Trial)
    public void fill() {
        Ipv4Network network = Ipv4Network.parse("10.16.0.0/12");
        UUID id = UUID.randomUUID();
        Scope scope = new Scope(id, "big", network, Ipv4Address.parse("10.16.0.1"), 0,
                List.of(new AddressRange(network.address().plus(2), network.broadcast().plus(-1))), List.of(),
                3600, null, null, null, null, null, 1);
        now = Instant.parse("2026-11-21T00:00:00Z");
        SplittableRandom random = new SplittableRandom(42);
        long usable = network.size() - 3;
        List<Lease> leases = new ArrayList<>((int) (usable * fullness) + 16);
        leaseIndex = new java.util.HashMap<>();
        poolStart = 2;
        poolEnd = (int) network.size() - 2;
        long sequentialEnd = poolStart + (long) ((poolEnd - poolStart + 1) * fullness);
        for (long offset = poolStart; offset <= poolEnd; offset++) {
            boolean leased = fill.equals("sequential") ? offset < sequentialEnd : random.nextDouble() < fullness;
            if (leased) {
                Ipv4Address a = network.addressAt(offset);
                MacAddress mac = new MacAddress(0x020000000000L | offset);
                Lease lease = new Lease(id, a, ClientKey.ofHardware(mac), mac, null, LeaseState.BOUND, now,
                        now.plusSeconds(3600), "bench");
                leases.add(lease);
                leaseIndex.put((int) offset, lease);
            }
        }
        state = new ScopeState(scope, List.of(), leases, now);
        responder = new DhcpResponder(ResponderSettings.DEFAULTS);
        serverId = Ipv4Address.parse("10.16.0.1");
        discover = BenchPackets.discover(MacAddress.parse("02:ff:00:00:00:01"));
        System.out.printf("%n# /12 scope, %s fill: %,d leases, %,d free, heap used %,d MiB%n", fill, leases.size(),
                state.freeCount(),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }

    @Benchmark
    public Object discover() {
        Decision d = responder.respond(discover, state, serverId, "bench", now);
        state.apply(d.changes());
        state.revert(d.changes());
        return d;
    }

    @Benchmark
    public Object nextFree() {
        return state.nextFree();
    }

    @Benchmark
    public int firstFreeScanPeer() {
        for (int offset = poolStart; offset <= poolEnd; offset++) {
            if (!leaseIndex.containsKey(offset)) {
                return offset;
            }
        }
        return -1;
    }
}
