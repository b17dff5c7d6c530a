package io.fabricipam.ovs.port;

/**
 * What a bridge port connects. Only {@link #GUEST} ports get DHCP interception; everything else is
 * infrastructure whose DHCP (if any) must pass untouched.
 */
public enum PortRole {
    /** A VM's NIC (tap, veth, vhost-user): its DHCP is ours when its network is managed. */
    GUEST,
    /** Towards the physical network or another bridge (marked by name or {@code fabric-role}, or a patch port). */
    UPLINK,
    /** An overlay tunnel (vxlan, geneve, gre, ...): carries other hosts' traffic, never a guest's own. */
    TUNNEL,
    /** The bridge's own internal port: the host's IP stack, not a guest. */
    LOCAL,
    /** Seen on the switch but not (yet) in OVSDB: treated as not a guest until we know its VLAN. */
    UNKNOWN
}
