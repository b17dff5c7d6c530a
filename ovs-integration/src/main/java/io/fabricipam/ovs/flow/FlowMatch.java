package io.fabricipam.ovs.flow;

import io.fabricipam.ovs.frame.MacAddress;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fields our pipeline matches on. A field left out matches anything: {@code inPort}, the UDP ports and
 * {@code arpOp} use {@link #ANY_PORT}, {@code tunId} uses {@link #ANY_TUN_ID}, {@code ethSrc},
 * {@code arpTpa} and {@code tunSrc} use {@code null}. Immutable; the {@code with*} methods return copies.
 *
 * <p>The tunnel fields are metadata of a packet that came out of a tunnel port: {@code tunId} is the
 * tunnel key (the VXLAN VNI; at most 32 bits, the widest key OVS carries on any tunnel type we use) and
 * {@code tunSrc} the remote endpoint's underlay address. They have no protocol prerequisite.
 */
public record FlowMatch(int inPort, VlanMatch vlan, FlowProtocol protocol, MacAddress ethSrc, int udpSrc, int udpDst,
                        int arpOp, Inet4Address arpTpa, long tunId, Inet4Address tunSrc) {

    public static final int ANY_PORT = -1;
    public static final long ANY_TUN_ID = -1;
    public static final long MAX_TUN_ID = 0xffff_ffffL;
    public static final int ARP_REQUEST = 1;
    public static final FlowMatch ALL = new FlowMatch(ANY_PORT, VlanMatch.ANY, FlowProtocol.ANY, null, ANY_PORT, ANY_PORT,
            ANY_PORT, null);

    /** A match without tunnel fields. */
    public FlowMatch(int inPort, VlanMatch vlan, FlowProtocol protocol, MacAddress ethSrc, int udpSrc, int udpDst,
                     int arpOp, Inet4Address arpTpa) {
        this(inPort, vlan, protocol, ethSrc, udpSrc, udpDst, arpOp, arpTpa, ANY_TUN_ID, null);
    }

    public FlowMatch {
        if (tunId < ANY_TUN_ID || tunId > MAX_TUN_ID) {
            throw new IllegalArgumentException("tunnel id out of range: " + tunId);
        }
        Objects.requireNonNull(vlan, "vlan");
        Objects.requireNonNull(protocol, "protocol");
        if (inPort < ANY_PORT || inPort == 0) {
            throw new IllegalArgumentException("in_port must be a switch port: " + inPort);
        }
        if ((udpSrc != ANY_PORT || udpDst != ANY_PORT) && protocol != FlowProtocol.UDP) {
            throw new IllegalArgumentException("a UDP port match needs protocol UDP (OpenFlow prerequisites)");
        }
        if (udpSrc < ANY_PORT || udpSrc > 0xffff || udpDst < ANY_PORT || udpDst > 0xffff) {
            throw new IllegalArgumentException("UDP port out of range");
        }
        if ((arpOp != ANY_PORT || arpTpa != null) && protocol != FlowProtocol.ARP) {
            throw new IllegalArgumentException("an ARP field match needs protocol ARP (OpenFlow prerequisites)");
        }
        if (arpOp < ANY_PORT || arpOp > 0xffff) {
            throw new IllegalArgumentException("ARP opcode out of range");
        }
    }

    public FlowMatch withInPort(int port) {
        return new FlowMatch(port, vlan, protocol, ethSrc, udpSrc, udpDst, arpOp, arpTpa, tunId, tunSrc);
    }

    public FlowMatch withVlan(VlanMatch v) {
        return new FlowMatch(inPort, v, protocol, ethSrc, udpSrc, udpDst, arpOp, arpTpa, tunId, tunSrc);
    }

    public FlowMatch withEthSrc(MacAddress mac) {
        return new FlowMatch(inPort, vlan, protocol, mac, udpSrc, udpDst, arpOp, arpTpa, tunId, tunSrc);
    }

    /** UDP from {@code src} to {@code dst} (sets the protocol to UDP). */
    public FlowMatch withUdp(int src, int dst) {
        return new FlowMatch(inPort, vlan, FlowProtocol.UDP, ethSrc, src, dst, ANY_PORT, null, tunId, tunSrc);
    }

    /** ARP requests asking for {@code target} (sets the protocol to ARP). */
    public FlowMatch withArpRequestFor(Inet4Address target) {
        return new FlowMatch(inPort, vlan, FlowProtocol.ARP, ethSrc, ANY_PORT, ANY_PORT, ARP_REQUEST,
                Objects.requireNonNull(target, "target"), tunId, tunSrc);
    }

    /**
     * Packets that came out of a tunnel with key {@code id} (or any key: {@link #ANY_TUN_ID}) from the
     * remote endpoint {@code source} (or any: null).
     */
    public FlowMatch withTunnel(long id, Inet4Address source) {
        return new FlowMatch(inPort, vlan, protocol, ethSrc, udpSrc, udpDst, arpOp, arpTpa, id, source);
    }

    /**
     * The match as {@code ovs-ofctl -O OpenFlow13 dump-flows} prints it: protocol shorthand, tun_id, tun_src,
     * in_port, VLAN, dl_src, tp_src, tp_dst (or arp_tpa, arp_op), in that order, comma-separated; empty for
     * a match-all.
     */
    public String toOfctlText() {
        List<String> parts = new ArrayList<>(8);
        if (protocol != FlowProtocol.ANY) {
            parts.add(protocol.ofctlName());
        }
        if (tunId != ANY_TUN_ID) {
            parts.add("tun_id=" + hex(tunId));
        }
        if (tunSrc != null) {
            parts.add("tun_src=" + tunSrc.getHostAddress());
        }
        if (inPort != ANY_PORT) {
            parts.add("in_port=" + inPort);
        }
        if (vlan.isUntagged()) {
            parts.add("vlan_tci=0x0000/0x1fff");
        } else if (!vlan.isAny()) {
            parts.add("dl_vlan=" + vlan.vlanId());
        }
        if (ethSrc != null) {
            parts.add("dl_src=" + ethSrc);
        }
        if (udpSrc != ANY_PORT) {
            parts.add("tp_src=" + udpSrc);
        }
        if (udpDst != ANY_PORT) {
            parts.add("tp_dst=" + udpDst);
        }
        if (arpTpa != null) {
            parts.add("arp_tpa=" + arpTpa.getHostAddress());
        }
        if (arpOp != ANY_PORT) {
            parts.add("arp_op=" + arpOp);
        }
        return String.join(",", parts);
    }

    /** A number as OVS prints a hexadecimal field ({@code %#x}: "0" for zero, "0x..." otherwise). */
    static String hex(long value) {
        return value == 0 ? "0" : "0x" + Long.toHexString(value);
    }

    @Override
    public String toString() {
        String text = toOfctlText();
        return text.isEmpty() ? "(all)" : text;
    }
}
