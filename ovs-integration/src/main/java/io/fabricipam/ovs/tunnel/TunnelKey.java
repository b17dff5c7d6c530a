package io.fabricipam.ovs.tunnel;

/**
 * The tunnel key ({@code tun_id}, the VXLAN VNI) of guest DHCP forwarded between hosts: the guest's network
 * and the OpenFlow port it asked on, packed into the 24 bits a VXLAN header carries.
 * <pre>
 *   bits 23..12  VLAN (0 = the untagged network, else the access tag or the 802.1Q tag; 0..4094)
 *   bits 11..0   OpenFlow port of the guest on the origin host (1..4095)
 * </pre>
 * The leader needs the VLAN to pick the scope (the inner frame of an access port is untagged, so its
 * network is known only on the origin host). The port is what lets the reply reach exactly the guest that
 * asked: the leader sends the reply back with the same key, and the origin host's flow for that key
 * outputs it to that one port, broadcast flag or not, with no controller involved on the origin host and
 * no flooding to other guests. The origin host itself is the packet's {@code tun_src}, so it needs no bits
 * here. Key 0 is never used (there is no port 0), so a zero VNI from an unrelated tunnel matches nothing.
 *
 * @param vlan   the guest's network
 * @param ofport the guest's OpenFlow port on its own host
 */
public record TunnelKey(int vlan, int ofport) {

    /** A VXLAN VNI (and a Geneve VNI) has 24 bits; OVS sends only those of tun_id. */
    public static final int BITS = 24;
    public static final int MAX_PORT = 0xfff;
    public static final int MAX_VLAN = 4094;
    private static final int PORT_BITS = 12;

    public TunnelKey {
        if (vlan < 0 || vlan > MAX_VLAN) {
            throw new IllegalArgumentException("VLAN out of range: " + vlan);
        }
        if (ofport < 1 || ofport > MAX_PORT) {
            throw new IllegalArgumentException("ofport " + ofport + " does not fit a tunnel key (1.." + MAX_PORT + ")");
        }
    }

    /** Whether a guest on {@code ofport} can be served through the tunnel at all. */
    public static boolean fits(int ofport) {
        return ofport >= 1 && ofport <= MAX_PORT;
    }

    /** The key from a packet's {@code tun_id}; null when it is not one we could have written. */
    public static TunnelKey parse(long tunId) {
        if (tunId < 0 || tunId >= 1L << BITS) {
            return null;
        }
        int vlan = (int) (tunId >>> PORT_BITS);
        int ofport = (int) (tunId & MAX_PORT);
        return vlan <= MAX_VLAN && ofport >= 1 ? new TunnelKey(vlan, ofport) : null;
    }

    /** The value of {@code tun_id}. */
    public long value() {
        return ((long) vlan << PORT_BITS) | ofport;
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(value()) + " (vlan " + vlan + ", port " + ofport + ")";
    }
}
