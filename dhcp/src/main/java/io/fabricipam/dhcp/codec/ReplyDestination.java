package io.fabricipam.dhcp.codec;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;

/**
 * Where a reply goes, decided once by the server core per RFC 2131 §4.1 and used by every front end:
 * the UDP front end sends to {@link #address()}:{@link #port()}, the OpenFlow front end also needs the
 * link-layer destination {@link #mac()}.
 */
public record ReplyDestination(Kind kind, Ipv4Address address, int port, MacAddress mac) {

    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;

    public enum Kind {
        /** giaddr was set: to the relay agent, on the server port. */
        RELAY,
        /** ciaddr was set (RENEWING, INFORM): unicast to the client's address. */
        CLIENT_ADDRESS,
        /** broadcast flag set, or a NAK without a relay: to 255.255.255.255 and ff:ff:ff:ff:ff:ff. */
        BROADCAST,
        /** neither: unicast to yiaddr at chaddr (a front end that cannot do that may broadcast instead). */
        OFFERED_ADDRESS
    }

    public static ReplyDestination relay(Ipv4Address giaddr) {
        return new ReplyDestination(Kind.RELAY, giaddr, SERVER_PORT, null);
    }

    public static ReplyDestination clientAddress(Ipv4Address ciaddr, MacAddress mac) {
        return new ReplyDestination(Kind.CLIENT_ADDRESS, ciaddr, CLIENT_PORT, mac);
    }

    public static ReplyDestination broadcast() {
        return new ReplyDestination(Kind.BROADCAST, Ipv4Address.BROADCAST, CLIENT_PORT, MacAddress.BROADCAST);
    }

    public static ReplyDestination offeredAddress(Ipv4Address yiaddr, MacAddress mac) {
        return new ReplyDestination(Kind.OFFERED_ADDRESS, yiaddr, CLIENT_PORT, mac);
    }

    /**
     * RFC 2131 §4.1, "If the 'giaddr' field in a DHCP message from a client is non-zero..." through the
     * NAK rule of the same section.
     */
    public static ReplyDestination forReply(DhcpRequest request, DhcpMessageType replyType, Ipv4Address yiaddr) {
        if (request.isRelayed()) {
            return relay(request.giaddr());
        }
        if (DhcpMessageType.NAK.equals(replyType)) {
            return broadcast();
        }
        if (!request.ciaddr().isAny()) {
            return clientAddress(request.ciaddr(), request.mac());
        }
        if (request.broadcastFlag() || yiaddr == null || yiaddr.isAny()) {
            return broadcast();
        }
        return offeredAddress(yiaddr, request.mac());
    }
}
