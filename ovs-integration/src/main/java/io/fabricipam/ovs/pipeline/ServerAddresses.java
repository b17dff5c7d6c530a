package io.fabricipam.ovs.pipeline;

import io.fabricipam.ovs.frame.MacAddress;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The addresses we answer ARP for, per managed VLAN (0 = untagged), with the MAC we answer with: the DHCP
 * server identifiers that no other host owns. A client in RENEWING state sends its REQUEST by unicast to
 * the server identifier (RFC 2131 §4.4.5), so its kernel first asks who has that address; without an
 * answer the renewal never leaves the guest and the client only comes back by broadcast at T2.
 */
public record ServerAddresses(Map<Integer, Map<Inet4Address, MacAddress>> byVlan) {

    public static final ServerAddresses NONE = new ServerAddresses(Map.of());

    public ServerAddresses {
        byVlan.keySet().forEach(v -> {
            if (v < 0 || v > 4094) {
                throw new IllegalArgumentException("VLAN out of range: " + v);
            }
        });
        byVlan.values().forEach(m -> m.values().forEach(mac -> {
            if (mac.isMulticast()) {
                throw new IllegalArgumentException("cannot answer ARP with multicast MAC " + mac);
            }
        }));
        TreeMap<Integer, Map<Inet4Address, MacAddress>> copy = new TreeMap<>();
        byVlan.forEach((vlan, addresses) -> {
            if (!addresses.isEmpty()) {
                copy.put(vlan, Map.copyOf(addresses));
            }
        });
        byVlan = Collections.unmodifiableMap(copy);
    }

    /** The MAC we answer with for {@code ip} on {@code vlan}, or null when the address is not ours there. */
    public MacAddress macFor(int vlan, Inet4Address ip) {
        Map<Inet4Address, MacAddress> addresses = byVlan.get(vlan);
        return addresses == null ? null : addresses.get(ip);
    }

    /** Our addresses on {@code vlan}, in numeric order (so flows come out in a stable order). */
    public List<Inet4Address> on(int vlan) {
        Map<Inet4Address, MacAddress> addresses = byVlan.get(vlan);
        if (addresses == null) {
            return List.of();
        }
        return addresses.keySet().stream()
                .sorted(Comparator.comparingLong(a -> Integer.toUnsignedLong(ByteBuffer.wrap(a.getAddress()).getInt())))
                .toList();
    }
}
