package io.fabricipam.ovs.frame;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Ethernet (optionally 802.1Q-tagged) IPv4/UDP datagram, as decoded from a packet-in or to be encoded
 * for a packet-out. {@code vlan} is the 802.1Q VLAN id when the frame carries a tag and {@link #UNTAGGED}
 * when it does not; a reply built from a tagged request keeps the tag by passing the request's value on.
 *
 * <p>The payload array is not copied (frames are on the hot path); callers must not change it afterwards.
 */
public record UdpFrame(
        MacAddress dstMac,
        MacAddress srcMac,
        int vlan,
        Inet4Address srcIp,
        Inet4Address dstIp,
        int srcPort,
        int dstPort,
        byte[] payload) {

    public static final int UNTAGGED = -1;

    public UdpFrame {
        Objects.requireNonNull(dstMac, "dstMac");
        Objects.requireNonNull(srcMac, "srcMac");
        Objects.requireNonNull(srcIp, "srcIp");
        Objects.requireNonNull(dstIp, "dstIp");
        Objects.requireNonNull(payload, "payload");
        if (vlan != UNTAGGED && (vlan < 0 || vlan > 4094)) {
            throw new IllegalArgumentException("VLAN id out of range: " + vlan);
        }
        if (srcPort < 0 || srcPort > 0xffff || dstPort < 0 || dstPort > 0xffff) {
            throw new IllegalArgumentException("UDP port out of range");
        }
    }

    public boolean tagged() {
        return vlan != UNTAGGED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpFrame f
                && dstMac.equals(f.dstMac) && srcMac.equals(f.srcMac) && vlan == f.vlan
                && srcIp.equals(f.srcIp) && dstIp.equals(f.dstIp)
                && srcPort == f.srcPort && dstPort == f.dstPort && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dstMac, srcMac, vlan, srcIp, dstIp, srcPort, dstPort) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "UdpFrame[" + srcMac + " > " + dstMac + (tagged() ? " vlan " + vlan : "") + ", "
                + srcIp.getHostAddress() + ":" + srcPort + " > " + dstIp.getHostAddress() + ":" + dstPort
                + ", " + payload.length + " bytes]";
    }
}
