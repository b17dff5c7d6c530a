package io.fabricipam.dhcp.codec;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.nio.charset.StandardCharsets;
import org.dhcp4java.DHCPPacket;

/**
 * A validated client-to-server DHCP message, as parsed by dhcp4java ({@link #packet()}) with the
 * options checked and concatenated by {@link OptionScanner}. Accessors return what RFC 2131 §4.3 needs.
 * Built only by {@link DhcpCodec#decode}, or by {@link #of} in tests and in the OpenFlow front end.
 */
public final class DhcpRequest {

    private final DHCPPacket packet;
    private final DhcpOptions options;
    private final DhcpMessageType messageType;
    private final Ipv4Address ciaddr;
    private final Ipv4Address giaddr;
    private final MacAddress mac;

    private DhcpRequest(DHCPPacket packet, DhcpOptions options, DhcpMessageType messageType) {
        this.packet = packet;
        this.options = options;
        this.messageType = messageType;
        this.ciaddr = Ipv4Address.of(packet.getCiaddrRaw());
        this.giaddr = Ipv4Address.of(packet.getGiaddrRaw());
        this.mac = MacAddress.of(packet.getChaddr());
    }

    static DhcpRequest of(DHCPPacket packet, DhcpOptions options, DhcpMessageType messageType) {
        return new DhcpRequest(packet, options, messageType);
    }

    /** The dhcp4java packet; callers must not modify it. */
    public DHCPPacket packet() {
        return packet;
    }

    public DhcpOptions options() {
        return options;
    }

    public DhcpMessageType messageType() {
        return messageType;
    }

    public int xid() {
        return packet.getXid();
    }

    public int hops() {
        return packet.getHops() & 0xff;
    }

    /** RFC 2131 §2: the leftmost bit of {@code flags}; dhcp4java returns it as a signed short. */
    public boolean broadcastFlag() {
        return (packet.getFlags() & 0x8000) != 0;
    }

    public Ipv4Address ciaddr() {
        return ciaddr;
    }

    public Ipv4Address giaddr() {
        return giaddr;
    }

    public boolean isRelayed() {
        return !giaddr.isAny();
    }

    /** The client's Ethernet address from {@code chaddr} (the codec only accepts htype 1, hlen 6). */
    public MacAddress mac() {
        return mac;
    }

    /** Option 61 as sent, or null. */
    public byte[] clientIdentifier() {
        return options.get(DhcpOptionCode.CLIENT_IDENTIFIER);
    }

    /** Option 50, or null. */
    public Ipv4Address requestedAddress() {
        return address(DhcpOptionCode.REQUESTED_ADDRESS);
    }

    /** Option 54, or null. */
    public Ipv4Address serverIdentifier() {
        return address(DhcpOptionCode.SERVER_IDENTIFIER);
    }

    /** Option 55 as option codes, in the client's order; empty when absent. */
    public int[] parameterRequestList() {
        byte[] prl = options.getShared(DhcpOptionCode.PARAMETER_REQUEST_LIST);
        if (prl == null) {
            return new int[0];
        }
        int[] codes = new int[prl.length];
        for (int i = 0; i < prl.length; i++) {
            codes[i] = prl[i] & 0xff;
        }
        return codes;
    }

    public boolean hasParameterRequestList() {
        return options.contains(DhcpOptionCode.PARAMETER_REQUEST_LIST);
    }

    /** Option 57 (the largest DHCP message the client accepts), or 0 when absent or invalid. */
    public int maxMessageSize() {
        byte[] v = options.getShared(DhcpOptionCode.MAX_MESSAGE_SIZE);
        return v != null && v.length == 2 ? ((v[0] & 0xff) << 8) | (v[1] & 0xff) : 0;
    }

    /** Option 51 as requested by the client, in seconds, or -1. */
    public long requestedLeaseTime() {
        byte[] v = options.getShared(DhcpOptionCode.LEASE_TIME);
        return v != null && v.length == 4 ? Ipv4Address.of(v).unsigned() : -1;
    }

    /** Option 12, printable ASCII only, or null. */
    public String hostname() {
        byte[] v = options.getShared(DhcpOptionCode.HOSTNAME);
        if (v == null || v.length == 0) {
            return null;
        }
        int len = v.length;
        while (len > 0 && v[len - 1] == 0) {
            len--; // some clients NUL-terminate
        }
        for (int i = 0; i < len; i++) {
            if (v[i] < 0x21 || v[i] > 0x7e) {
                return null;
            }
        }
        return len == 0 ? null : new String(v, 0, len, StandardCharsets.US_ASCII);
    }

    /** Option 82 as received, to be echoed in the reply (RFC 3046 §2.2), or null. */
    public byte[] relayAgentInformation() {
        return options.get(DhcpOptionCode.RELAY_AGENT_INFORMATION);
    }

    private Ipv4Address address(int code) {
        byte[] v = options.getShared(code);
        return v != null && v.length == 4 ? Ipv4Address.of(v) : null;
    }

    @Override
    public String toString() {
        return messageType + " xid=0x" + Integer.toHexString(xid()) + " chaddr=" + mac
                + (ciaddr.isAny() ? "" : " ciaddr=" + ciaddr) + (giaddr.isAny() ? "" : " giaddr=" + giaddr);
    }
}
