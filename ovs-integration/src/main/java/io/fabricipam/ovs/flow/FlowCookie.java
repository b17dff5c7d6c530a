package io.fabricipam.ovs.flow;

/**
 * Marks the flows we own. Every flow we install carries {@code value} in the bits of {@code mask} (the
 * owner part) and a small purpose code in the low byte, so {@code ovs-ofctl dump-flows} shows both who
 * owns a flow and why it is there. Deletes and flow-stats requests use {@code value/mask}, which never
 * touches flows of other owners (an operator's, OVN's, another controller's).
 *
 * <p>The default owner part {@code 0xfab1dc} ("fabric DHCP") in the top 24 bits is an arbitrary but fixed
 * choice; change it in the settings if it collides with another owner on the same bridges.
 */
public record FlowCookie(long value, long mask) {

    /** {@code 0xfab1dc0000000000/0xffffff0000000000}. */
    public static final FlowCookie DEFAULT = new FlowCookie(0xfab1_dc00_0000_0000L, 0xffff_ff00_0000_0000L);

    /** Purpose codes (the low byte). */
    public static final int NORMAL = 0x01;
    public static final int PUNT = 0x02;
    public static final int OTHER_MAC_DROP = 0x03;
    public static final int ROGUE_SERVER_DROP = 0x04;
    public static final int ARP_REPLY = 0x05;
    /** A guest's client DHCP sent through the tunnel to the leader's host (this host does not lead). */
    public static final int TO_LEADER = 0x06;
    /** Client DHCP of another host's guest, arriving on the tunnel port, to the controller (this host leads). */
    public static final int FROM_TUNNEL = 0x07;
    /** The leader's reply arriving on the tunnel port, out of the one guest port its key names. */
    public static final int REPLY_TO_GUEST = 0x08;
    /** DHCP on the tunnel port that no flow of ours expects: dropped, never switched to guests. */
    public static final int TUNNEL_STRAY_DROP = 0x09;

    public FlowCookie {
        if (mask == 0) {
            throw new IllegalArgumentException("a zero cookie mask would claim every flow on the bridge");
        }
        if ((value & ~mask) != 0) {
            throw new IllegalArgumentException("cookie value has bits outside its mask");
        }
        if ((mask & 0xff) != 0) {
            throw new IllegalArgumentException("the low byte of the cookie is reserved for purpose codes");
        }
    }

    /** The cookie of a flow of ours with the given purpose. */
    public long forPurpose(int purpose) {
        if (purpose < 0 || purpose > 0xff) {
            throw new IllegalArgumentException("purpose code out of range: " + purpose);
        }
        return value | purpose;
    }

    public boolean owns(long cookie) {
        return (cookie & mask) == value;
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(value) + "/0x" + Long.toHexString(mask);
    }
}
