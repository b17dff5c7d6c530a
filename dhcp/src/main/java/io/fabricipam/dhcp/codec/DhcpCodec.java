package io.fabricipam.dhcp.codec;

import io.fabricipam.dhcp.net.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/**
 * Bytes <-> DHCP messages. Parsing and building is dhcp4java's; this class adds what it lacks: strict
 * bounds and typed drop reasons on the way in, and on the way out RFC 3396 splitting of options longer
 * than 255 bytes and a size limit (the client's option 57, else 576) that leaves out optional options,
 * reporting which, rather than ever sending a corrupt packet. Stateless and thread-safe.
 */
public final class DhcpCodec {

    /** Largest UDP payload accepted: an Ethernet MTU less the IPv4 and UDP headers. */
    public static final int MAX_PACKET_LENGTH = 1500 - 28;
    /** RFC 2131 §2: every DHCP participant accepts a 576-byte IP datagram; that leaves 548 for DHCP. */
    public static final int DEFAULT_MAX_PAYLOAD = 576 - 28;
    /** RFC 1542 §2.1: BOOTP messages are at least 300 bytes; some relays and clients rely on it. */
    public static final int MIN_PAYLOAD = 300;

    private static final int MAGIC_COOKIE = 0x63825363;
    private static final int OPTIONS_START = OptionScanner.FIXED_HEADER_LENGTH + OptionScanner.MAGIC_COOKIE_LENGTH;
    private static final int MAX_OPTION_CHUNK = 255;
    /**
     * Room a reply keeps for the server's own essential options: message type, server identifier, lease time,
     * T1, T2, subnet mask and a router take 39 bytes.
     */
    static final int SERVER_OPTIONS_RESERVE = 64;
    /**
     * The most that options 61 and 82 may take on the wire together. Every reply echoes them (RFC 6842, RFC 3046),
     * so a request with more could not be answered within the 548 bytes every client accepts.
     */
    static final int MAX_ECHOED_LENGTH = DEFAULT_MAX_PAYLOAD - OPTIONS_START - 1 - SERVER_OPTIONS_RESERVE;

    /** What {@link #encode} produced: the UDP payload and the options it had to leave out, if any. */
    public record EncodedReply(byte[] payload, List<Integer> omittedOptions) {
    }

    public DhcpRequest decode(byte[] buf) throws MalformedPacketException {
        return decode(buf, 0, buf.length);
    }

    public DhcpRequest decode(byte[] buf, int offset, int length) throws MalformedPacketException {
        if (length < OPTIONS_START) {
            throw new MalformedPacketException(DropReason.TRUNCATED,
                    length + " bytes is shorter than a BOOTP header and magic cookie (240)");
        }
        if (length > MAX_PACKET_LENGTH) {
            throw new MalformedPacketException(DropReason.OVERSIZED, length + " bytes exceeds " + MAX_PACKET_LENGTH);
        }
        if (buf[offset] != 1) {
            throw new MalformedPacketException(DropReason.NOT_BOOTREQUEST, "op is " + (buf[offset] & 0xff) + ", not 1");
        }
        if (buf[offset + 1] != 1 || buf[offset + 2] != 6) {
            throw new MalformedPacketException(DropReason.UNSUPPORTED_HARDWARE,
                    "htype " + (buf[offset + 1] & 0xff) + " hlen " + (buf[offset + 2] & 0xff) + " is not Ethernet");
        }
        int cookie = Ipv4Address.of(buf, offset + OptionScanner.FIXED_HEADER_LENGTH).value();
        if (cookie != MAGIC_COOKIE) {
            throw new MalformedPacketException(DropReason.BAD_MAGIC_COOKIE,
                    "magic cookie 0x" + Integer.toHexString(cookie));
        }
        DhcpOptions options = OptionScanner.scan(buf, offset, length);
        DhcpMessageType type = messageType(options);
        checkFixedLengths(options);

        DHCPPacket packet;
        try {
            packet = DHCPPacket.getPacket(buf, offset, length, false);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new MalformedPacketException(DropReason.TRUNCATED, "dhcp4java: " + e.getMessage());
        }
        // dhcp4java keeps only the last instance of a repeated option and ignores overloaded fields:
        // give it the RFC 3396 concatenation the scanner built, so both views agree.
        for (var entry : options.asMap().entrySet()) {
            byte[] theirs = packet.getOptionRaw(entry.getKey().byteValue());
            if (theirs == null || theirs.length != entry.getValue().length) {
                packet.setOptionRaw(entry.getKey().byteValue(), entry.getValue());
            }
        }
        return DhcpRequest.of(packet, options, type);
    }

    private static DhcpMessageType messageType(DhcpOptions options) throws MalformedPacketException {
        byte[] type = options.getShared(DhcpOptionCode.MESSAGE_TYPE);
        if (type == null) {
            throw new MalformedPacketException(DropReason.MISSING_MESSAGE_TYPE, "no option 53 (a BOOTP request)");
        }
        if (type.length != 1) {
            throw new MalformedPacketException(DropReason.BAD_OPTION_VALUE, "option 53 has length " + type.length);
        }
        DhcpMessageType messageType = new DhcpMessageType(type[0] & 0xff);
        if (!messageType.isClientToServer()) {
            throw new MalformedPacketException(DropReason.UNKNOWN_MESSAGE_TYPE,
                    "message type " + messageType + " is not one a client sends");
        }
        return messageType;
    }

    private static void checkFixedLengths(DhcpOptions options) throws MalformedPacketException {
        checkLength(options, DhcpOptionCode.REQUESTED_ADDRESS, 4, 4);
        checkLength(options, DhcpOptionCode.SERVER_IDENTIFIER, 4, 4);
        checkLength(options, DhcpOptionCode.MAX_MESSAGE_SIZE, 2, 2);
        checkLength(options, DhcpOptionCode.LEASE_TIME, 4, 4);
        checkLength(options, DhcpOptionCode.CLIENT_IDENTIFIER, 2, Integer.MAX_VALUE); // RFC 2132 §9.14
        int echoed = echoedSize(options, DhcpOptionCode.CLIENT_IDENTIFIER)
                + echoedSize(options, DhcpOptionCode.RELAY_AGENT_INFORMATION);
        if (echoed > MAX_ECHOED_LENGTH) {
            throw new MalformedPacketException(DropReason.BAD_OPTION_VALUE, "options 61 and 82 would take " + echoed
                    + " bytes of every reply, more than the " + MAX_ECHOED_LENGTH + " a 576-byte reply can spare");
        }
    }

    private static int echoedSize(DhcpOptions options, int code) {
        byte[] v = options.getShared(code);
        return v == null ? 0 : encodedSize(v.length);
    }

    private static void checkLength(DhcpOptions options, int code, int min, int max) throws MalformedPacketException {
        byte[] v = options.getShared(code);
        if (v != null && (v.length < min || v.length > max)) {
            throw new MalformedPacketException(DropReason.BAD_OPTION_VALUE, "option " + code + " has length " + v.length);
        }
    }

    /** The largest payload the client accepts (RFC 2132 §9.10), never more than a 1500-byte MTU allows. */
    public static int maxPayload(DhcpRequest request, int linkMtu) {
        int max = Math.max(576, request.maxMessageSize());
        return Math.min(max, Math.min(linkMtu, 1500)) - 28;
    }

    public EncodedReply encode(DhcpReply reply) {
        return encode(reply, 1500);
    }

    /**
     * Encodes {@code reply} to a UDP payload that fits both the client's limit and {@code linkMtu}.
     *
     * @throws IllegalStateException if the essential options alone do not fit. The decoder makes sure this cannot
     *     happen for a reply on a link of MTU 576 or more whose own essential options (those other than the echoes
     *     of 61 and 82) take at most {@link #SERVER_OPTIONS_RESERVE} bytes.
     */
    public EncodedReply encode(DhcpReply reply, int linkMtu) {
        DhcpRequest request = reply.request();
        int budget = maxPayload(request, linkMtu) - OPTIONS_START - 1; // one byte for END
        List<DhcpReply.Option> kept = new ArrayList<>(reply.options());
        List<Integer> omitted = new ArrayList<>(0);
        int size = 0;
        for (DhcpReply.Option o : kept) {
            size += encodedSize(o.value().length);
        }
        for (int i = kept.size() - 1; i >= 0 && size > budget; i--) {
            DhcpReply.Option o = kept.get(i);
            if (!o.essential()) {
                size -= encodedSize(o.value().length);
                omitted.add(0, o.code());
                kept.remove(i);
            }
        }
        if (size > budget) {
            throw new IllegalStateException("essential options alone need " + size + " bytes, limit " + budget);
        }

        DHCPPacket packet = new DHCPPacket();
        packet.setOp(DHCPConstants.BOOTREPLY);
        packet.setHtype(request.packet().getHtype());
        packet.setHlen(request.packet().getHlen());
        packet.setHops((byte) 0);
        packet.setXid(request.xid());
        packet.setSecs((short) 0);
        packet.setFlags(flags(reply));
        boolean echoCiaddr = DhcpMessageType.ACK.equals(reply.messageType());
        packet.setCiaddrRaw(echoCiaddr ? request.packet().getCiaddrRaw() : new byte[4]);
        packet.setYiaddrRaw(reply.yiaddr() == null ? new byte[4] : reply.yiaddr().toBytes());
        packet.setSiaddrRaw(reply.siaddr() == null ? new byte[4] : reply.siaddr().toBytes());
        packet.setGiaddrRaw(request.packet().getGiaddrRaw());
        packet.setChaddr(request.packet().getChaddr());
        if (reply.bootFileName() != null && reply.bootFileName().length() < 128) {
            packet.setFile(reply.bootFileName());
        }
        // dhcp4java writes the header and cookie; the options are ours, as it can neither split a long option nor
        // keep it in its place among the others
        byte[] bytes = writeOptions(packet.serialize(0, DEFAULT_MAX_PAYLOAD), kept);
        if (bytes.length < MIN_PAYLOAD) {
            bytes = Arrays.copyOf(bytes, MIN_PAYLOAD);
        }
        return new EncodedReply(bytes, omitted);
    }

    /**
     * RFC 2131 table 3: the client's flags; but §4.3.2: a DHCPNAK through a relay has the broadcast bit set, as
     * the client may not be able to receive a unicast to an address it has been refused.
     */
    private static short flags(DhcpReply reply) {
        short flags = reply.request().packet().getFlags();
        if (DhcpMessageType.NAK.equals(reply.messageType()) && reply.request().isRelayed()) {
            flags |= (short) 0x8000;
        }
        return flags;
    }

    private static int encodedSize(int valueLength) {
        int chunks = Math.max(1, (valueLength + MAX_OPTION_CHUNK - 1) / MAX_OPTION_CHUNK);
        return valueLength + 2 * chunks;
    }

    /**
     * Appends {@code options} in their order to a serialized packet that has none (its last byte is END), then
     * END. RFC 3396 §5: an option longer than 255 bytes goes out as consecutive instances of the same code.
     */
    private static byte[] writeOptions(byte[] serialized, List<DhcpReply.Option> options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(DEFAULT_MAX_PAYLOAD);
        out.write(serialized, 0, serialized.length - 1);
        for (DhcpReply.Option o : options) {
            byte[] v = o.value();
            int pos = 0;
            do { // an empty value is one instance of length 0
                int len = Math.min(MAX_OPTION_CHUNK, v.length - pos);
                out.write(o.code());
                out.write(len);
                out.write(v, pos, len);
                pos += len;
            } while (pos < v.length);
        }
        out.write(DhcpOptionCode.END);
        return out.toByteArray();
    }
}
