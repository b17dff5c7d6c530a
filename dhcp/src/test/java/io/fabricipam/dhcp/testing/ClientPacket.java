package io.fabricipam.dhcp.testing;

import io.fabricipam.dhcp.codec.DhcpCodec;
import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.codec.DhcpOptionCode;
import io.fabricipam.dhcp.codec.DhcpRequest;
import io.fabricipam.dhcp.codec.MalformedPacketException;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/**
 * Builds client messages as a real client would put them on the wire (dhcp4java serialises them, our
 * codec decodes them), for tests of the server and its front ends.
 */
public final class ClientPacket {

    private final DhcpMessageType type;
    private MacAddress mac = MacAddress.parse("02:00:00:00:00:01");
    private int xid = 0x1234abcd;
    private boolean broadcast;
    private Ipv4Address ciaddr = Ipv4Address.ANY;
    private Ipv4Address giaddr = Ipv4Address.ANY;
    private final Map<Integer, byte[]> options = new LinkedHashMap<>();

    private ClientPacket(DhcpMessageType type) {
        this.type = type;
    }

    public static ClientPacket discover() {
        return new ClientPacket(DhcpMessageType.DISCOVER);
    }

    public static ClientPacket request() {
        return new ClientPacket(DhcpMessageType.REQUEST);
    }

    public static ClientPacket decline() {
        return new ClientPacket(DhcpMessageType.DECLINE);
    }

    public static ClientPacket release() {
        return new ClientPacket(DhcpMessageType.RELEASE);
    }

    public static ClientPacket inform() {
        return new ClientPacket(DhcpMessageType.INFORM);
    }

    public ClientPacket mac(String value) {
        this.mac = MacAddress.parse(value);
        return this;
    }

    public ClientPacket mac(MacAddress value) {
        this.mac = value;
        return this;
    }

    public ClientPacket xid(int value) {
        this.xid = value;
        return this;
    }

    public ClientPacket broadcast() {
        this.broadcast = true;
        return this;
    }

    public ClientPacket ciaddr(String value) {
        this.ciaddr = Ipv4Address.parse(value);
        return this;
    }

    public ClientPacket giaddr(String value) {
        this.giaddr = Ipv4Address.parse(value);
        return this;
    }

    public ClientPacket requested(String address) {
        return option(DhcpOptionCode.REQUESTED_ADDRESS, Ipv4Address.parse(address).toBytes());
    }

    public ClientPacket serverId(String address) {
        return option(DhcpOptionCode.SERVER_IDENTIFIER, Ipv4Address.parse(address).toBytes());
    }

    public ClientPacket clientId(byte... id) {
        return option(DhcpOptionCode.CLIENT_IDENTIFIER, id);
    }

    public ClientPacket hostname(String name) {
        return option(DhcpOptionCode.HOSTNAME, name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    public ClientPacket parameters(int... codes) {
        byte[] b = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            b[i] = (byte) codes[i];
        }
        return option(DhcpOptionCode.PARAMETER_REQUEST_LIST, b);
    }

    public ClientPacket maxMessageSize(int size) {
        return option(DhcpOptionCode.MAX_MESSAGE_SIZE, new byte[] {(byte) (size >>> 8), (byte) size});
    }

    public ClientPacket option(int code, byte[] value) {
        options.put(code, value);
        return this;
    }

    /** The UDP payload a client would send. */
    public byte[] bytes() {
        DHCPPacket p = new DHCPPacket();
        p.setOp(DHCPConstants.BOOTREQUEST);
        p.setHtype(DHCPConstants.HTYPE_ETHER);
        p.setHlen((byte) 6);
        p.setXid(xid);
        p.setFlags(broadcast ? (short) 0x8000 : 0);
        p.setCiaddrRaw(ciaddr.toBytes());
        p.setGiaddrRaw(giaddr.toBytes());
        byte[] chaddr = new byte[16];
        mac.writeTo(chaddr, 0);
        p.setChaddr(chaddr);
        p.setDHCPMessageType((byte) type.code());
        options.forEach((code, value) -> p.setOptionRaw(code.byteValue(), value));
        return p.serialize();
    }

    /** Decoded by our codec, as the server sees it. */
    public DhcpRequest decoded() {
        try {
            return new DhcpCodec().decode(bytes());
        } catch (MalformedPacketException e) {
            throw new AssertionError("test packet did not decode: " + e.reason() + " " + e.getMessage(), e);
        }
    }
}
