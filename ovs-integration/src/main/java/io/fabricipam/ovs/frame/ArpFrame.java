package io.fabricipam.ovs.frame;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * An Ethernet (optionally 802.1Q-tagged) ARP packet for IPv4 over Ethernet (RFC 826). {@code vlan} is as in
 * {@link UdpFrame}: the tag's VLAN id, or {@link UdpFrame#UNTAGGED}.
 */
public record ArpFrame(
        MacAddress dstMac,
        MacAddress srcMac,
        int vlan,
        int operation,
        MacAddress senderMac,
        Inet4Address senderIp,
        MacAddress targetMac,
        Inet4Address targetIp) {

    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    public ArpFrame {
        Objects.requireNonNull(dstMac, "dstMac");
        Objects.requireNonNull(srcMac, "srcMac");
        Objects.requireNonNull(senderMac, "senderMac");
        Objects.requireNonNull(senderIp, "senderIp");
        Objects.requireNonNull(targetMac, "targetMac");
        Objects.requireNonNull(targetIp, "targetIp");
        if (vlan != UdpFrame.UNTAGGED && (vlan < 0 || vlan > 4094)) {
            throw new IllegalArgumentException("VLAN id out of range: " + vlan);
        }
        if (operation < 0 || operation > 0xffff) {
            throw new IllegalArgumentException("ARP operation out of range: " + operation);
        }
    }

    public boolean tagged() {
        return vlan != UdpFrame.UNTAGGED;
    }

    /**
     * The answer to this request from the owner of its target address: "{@code targetIp} is at {@code mac}",
     * sent straight back to the asker, with the request's tag.
     */
    public ArpFrame replyFrom(MacAddress mac) {
        return new ArpFrame(srcMac, mac, vlan, REPLY, mac, targetIp, senderMac, senderIp);
    }

    @Override
    public String toString() {
        String what = operation == REQUEST ? "who-has " + targetIp.getHostAddress() + " tell " + senderIp.getHostAddress()
                : operation == REPLY ? senderIp.getHostAddress() + " is-at " + senderMac : "operation " + operation;
        return "ArpFrame[" + srcMac + " > " + dstMac + (tagged() ? " vlan " + vlan : "") + ", " + what + "]";
    }
}
