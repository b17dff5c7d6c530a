package io.fabricipam.ovs.punt;

import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.frame.UdpFrame;
import io.fabricipam.ovs.tunnel.TunnelOrigin;
import java.net.Inet4Address;
import java.util.Objects;

/**
 * A guest's DHCP request as the switch punted it.
 *
 * @param datapathId   the switch it came from (answer with a packet-out to the same switch)
 * @param inPort       the OpenFlow port it came in on (and the port the answer goes out of)
 * @param portName     that port's name in OVS
 * @param vlan         the network the request is on: the frame's 802.1Q VLAN when tagged, otherwise
 *                     the port's access tag (0 = untagged network); this selects the scope
 * @param frame        the decoded frame; {@code frame.tagged()} says whether the reply must carry the tag
 * @param receivedNanos {@link System#nanoTime()} when the packet-in was decoded, for latency figures
 * @param tunnel       for a request of another host's guest that came through the tunnel to us (the
 *                     leader): that host and the key naming the guest's network and port; null for a guest
 *                     of this host. {@code inPort} and {@code portName} are then the tunnel port's, and
 *                     the answer must go back through it ({@code OpenFlowController.sendReply}).
 */
public record PuntedDhcp(long datapathId, int inPort, String portName, int vlan, UdpFrame frame, long receivedNanos,
                         TunnelOrigin tunnel) {

    public PuntedDhcp {
        Objects.requireNonNull(portName, "portName");
        Objects.requireNonNull(frame, "frame");
    }

    /** A request of a guest of this host. */
    public PuntedDhcp(long datapathId, int inPort, String portName, int vlan, UdpFrame frame, long receivedNanos) {
        this(datapathId, inPort, portName, vlan, frame, receivedNanos, null);
    }

    /** Whether the request came from another host's guest through the tunnel. */
    public boolean tunnelled() {
        return tunnel != null;
    }

    public MacAddress srcMac() {
        return frame.srcMac();
    }

    public Inet4Address srcIp() {
        return frame.srcIp();
    }

    public Inet4Address dstIp() {
        return frame.dstIp();
    }

    /** The DHCP message (UDP payload); not copied, do not modify. */
    public byte[] payload() {
        return frame.payload();
    }
}
