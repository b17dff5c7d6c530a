package io.fabricipam.ovs.frame;

/** Why a frame could not be decoded down to a UDP payload; counted per reason by the punt path. */
public enum FrameError {
    /** Shorter than an Ethernet header (or an 802.1Q header when tagged). */
    TRUNCATED_ETHERNET,
    /** Stacked VLAN tags (802.1ad / QinQ): no managed network uses them, and guessing the VLAN is unsafe. */
    STACKED_VLAN,
    /** Not IPv4 after the (optional) tag. */
    NOT_IPV4,
    /** Fewer bytes than the IPv4 header or its total length claims. */
    TRUNCATED_IPV4,
    /** Version is not 4 or the header length is under 20 bytes. */
    BAD_IPV4_HEADER,
    /** The IPv4 header checksum does not verify; kernels always fill it in, so a mismatch is corruption. */
    BAD_IPV4_CHECKSUM,
    /** A fragment: DHCP messages fit a single datagram and we do not reassemble. */
    FRAGMENTED,
    /** Not UDP. */
    NOT_UDP,
    /** The UDP header or its length field does not fit the IPv4 payload. */
    BAD_UDP_LENGTH,
    /** Not ARP for IPv4 over Ethernet, or cut short. */
    BAD_ARP
}
