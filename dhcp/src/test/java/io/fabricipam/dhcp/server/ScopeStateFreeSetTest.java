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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The free set a state builds at start (by ranges) is exactly the addresses {@link ScopeState#isDynamic} allows
 * that no row holds, asked address by address: random pools (overlapping), exclusions (reaching past the pools
 * and the network), gateway and server identifier inside pools, reservations, and rows in every state.
 */
class ScopeStateFreeSetTest {

    static final UUID ID = UUID.fromString("5c0be000-0000-4000-8000-000000000001");
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void theFreeSetIsWhatIsDynamicAndUnheld(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int prefix = new int[] {20, 24, 28, 30, 31, 32}[seed % 6];
        Ipv4Network network = Ipv4Network.parse("10.32.0.0/" + prefix);
        long base = network.address().unsigned();
        int size = (int) network.size();
        List<AddressRange> pools = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            int a = random.nextInt(size);
            int b = Math.min(size - 1, a + random.nextInt(size));
            pools.add(new AddressRange(Ipv4Address.ofUnsigned(base + a), Ipv4Address.ofUnsigned(base + b)));
        }
        List<AddressRange> exclusions = new ArrayList<>();
        for (int i = 0; i < random.nextInt(3); i++) {
            long a = base - 8 + random.nextInt(size + 8);
            long b = a + random.nextInt(Math.max(1, size / 4));
            exclusions.add(new AddressRange(Ipv4Address.ofUnsigned(a), Ipv4Address.ofUnsigned(b)));
        }
        Ipv4Address gateway = Ipv4Address.ofUnsigned(base + random.nextInt(size));
        Ipv4Address serverId = random.nextBoolean() ? Ipv4Address.ofUnsigned(base + random.nextInt(size)) : null;
        Scope scope = new Scope(ID, "s" + seed, network, gateway, 0, pools, exclusions, 3600, null, null, null, serverId,
                null, 1);
        List<Reservation> reservations = new ArrayList<>();
        Map<Ipv4Address, Lease> rows = new HashMap<>();
        for (int i = 0; i < size / 3 + 1; i++) {
            Ipv4Address address = Ipv4Address.ofUnsigned(base + random.nextInt(size));
            MacAddress mac = MacAddress.parse(String.format("02:00:00:%02x:%02x:%02x", seed, i >> 8 & 0xff, i & 0xff));
            if (random.nextInt(10) == 0) {
                if (reservations.stream().noneMatch(r -> r.address().equals(address))) {
                    reservations.add(new Reservation(ID, mac, address, null));
                }
            } else {
                LeaseState state = LeaseState.values()[random.nextInt(LeaseState.values().length)];
                rows.put(address, new Lease(ID, address, ClientKey.ofHardware(mac), mac, null, state, NOW.minusSeconds(60),
                        NOW.plusSeconds(3600), null));
            }
        }

        ScopeState state = new ScopeState(scope, reservations, new ArrayList<>(rows.values()), NOW);

        int expected = 0;
        Ipv4Address lowest = null;
        for (long a = base; a < base + size; a++) {
            Ipv4Address address = Ipv4Address.ofUnsigned(a);
            Lease row = state.leaseAt(address);
            if (state.isDynamic(address) && (row == null || !row.state().holdsAddress())) {
                expected++;
                if (lowest == null) {
                    lowest = address;
                }
            }
        }
        assertThat(state.freeCount()).isEqualTo(expected);
        assertThat(state.nextFree()).isEqualTo(lowest);
    }
}
