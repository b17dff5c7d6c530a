package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.net.Ipv4Address;
import java.util.List;

/**
 * What a front end knows about where a request came from, in terms the core understands and nothing more:
 * the link's VLAN (OpenFlow: the port's access tag), or the addresses the server has on the receiving link
 * (UDP: the interface's addresses), and a label of where the client was seen, kept with its lease.
 *
 * @param vlan           the network binding (0 = untagged), or null when the front end selects by address
 * @param localAddresses our addresses on the receiving link; the scope containing one is served there,
 *                       and it becomes the server identifier unless the scope sets one
 * @param seenOn         e.g. {@code udp:eth0} or {@code of:00000000000000a1/3}
 * @param receivedNanos  {@link System#nanoTime()} at receipt, for the latency histogram
 */
public record RequestContext(Integer vlan, List<Ipv4Address> localAddresses, String seenOn, long receivedNanos) {

    public RequestContext {
        localAddresses = localAddresses == null ? List.of() : List.copyOf(localAddresses);
    }

    public static RequestContext onVlan(int vlan, String seenOn) {
        return new RequestContext(vlan, List.of(), seenOn, System.nanoTime());
    }

    public static RequestContext onLink(List<Ipv4Address> localAddresses, String seenOn) {
        return new RequestContext(null, localAddresses, seenOn, System.nanoTime());
    }
}
