package io.fabricipam.ovs.punt;

/**
 * Why a packet-in did not reach the handler. Frame-level reasons ({@code MALFORMED_*}) mirror
 * {@link io.fabricipam.ovs.frame.FrameError}.
 */
public enum PuntDrop {
    /** A packet-in for a reason other than our flow's action (or a table miss). */
    OTHER_REASON,
    /** The switch is not (or no longer) known. */
    UNKNOWN_SWITCH,
    /** No in_port in the packet-in's match. */
    NO_IN_PORT,
    /** The port is not a guest port (an uplink, a tunnel, unknown to OVSDB). */
    NOT_A_GUEST_PORT,
    /** The request's network is not managed (any more: flows lag a change by a few milliseconds). */
    UNMANAGED_VLAN,
    /** The source MAC differs from the MAC pinned to the port. */
    FOREIGN_MAC,
    /** UDP, but not client-to-server DHCP (68 -> 67). */
    NOT_DHCP,
    /** An ARP packet that is not a request for an address we answer for (a server identifier on its VLAN). */
    NOT_OUR_ARP,
    /** DHCP from the tunnel port while another host leads (flows lag a leadership change by milliseconds). */
    NOT_TUNNEL_LEADER,
    /** DHCP from the tunnel port without tun_src, or with a tunnel key we never write. */
    BAD_TUNNEL_METADATA,
    /** The handler threw. */
    HANDLER_FAILED,
    MALFORMED_TRUNCATED_ETHERNET,
    MALFORMED_STACKED_VLAN,
    MALFORMED_NOT_IPV4,
    MALFORMED_TRUNCATED_IPV4,
    MALFORMED_BAD_IPV4_HEADER,
    MALFORMED_BAD_IPV4_CHECKSUM,
    MALFORMED_FRAGMENTED,
    MALFORMED_NOT_UDP,
    MALFORMED_BAD_UDP_LENGTH,
    MALFORMED_BAD_ARP;

    static PuntDrop malformed(io.fabricipam.ovs.frame.FrameError error) {
        return valueOf("MALFORMED_" + error.name());
    }
}
