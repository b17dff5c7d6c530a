package io.fabricipam.ovs.punt;

import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.frame.UdpFrame;
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
 */
public record PuntedDhcp(long datapathId, int inPort, String portName, int vlan, UdpFrame frame, long receivedNanos) {

    public PuntedDhcp {
        Objects.requireNonNull(portName, "portName");
        Objects.requireNonNull(frame, "frame");
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
