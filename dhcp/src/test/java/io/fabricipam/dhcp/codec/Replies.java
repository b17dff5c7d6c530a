package io.fabricipam.dhcp.codec;

import io.fabricipam.dhcp.net.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Replies as a server would build them, written out by hand so that the codec is tested on its own. */
final class Replies {

    static final Ipv4Address SERVER = Ipv4Address.parse("192.0.2.1");
    static final Ipv4Address FREE_ADDRESS = Ipv4Address.parse("192.0.2.150");

    /** Values for what the captured clients ask for in option 55. */
    private static final Map<Integer, byte[]> CONFIGURATION = Map.ofEntries(
            Map.entry(1, Ipv4Address.parse("255.255.255.0").toBytes()),
            Map.entry(2, OptionValues.uint32(0)),
            Map.entry(3, SERVER.toBytes()),
            Map.entry(6, Ipv4Address.parse("192.0.2.53").toBytes()),
            Map.entry(15, "fxc.example".getBytes(StandardCharsets.US_ASCII)),
            Map.entry(26, OptionValues.uint16(1500)),
            Map.entry(28, Ipv4Address.parse("192.0.2.255").toBytes()),
            Map.entry(42, Ipv4Address.parse("192.0.2.123").toBytes()),
            Map.entry(119, OptionValues.domainSearch(List.of("fxc.example", "lab.fxc.example"))),
            Map.entry(121, new byte[] {24, (byte) 198, 51, 100, (byte) 192, 0, 2, 1}));

    private Replies() {
    }

    static DhcpReply.Option essential(int code, byte[] value) {
        return new DhcpReply.Option(code, value, true);
    }

    static DhcpReply.Option optional(int code, byte[] value) {
        return new DhcpReply.Option(code, value, false);
    }

    static DhcpReply.Option optional(int code, int length) {
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        return optional(code, value);
    }

    static byte[] type(DhcpMessageType type) {
        return new byte[] {(byte) type.code()};
    }

    static DhcpReply of(DhcpRequest request, DhcpMessageType type, Ipv4Address yiaddr, List<DhcpReply.Option> options) {
        return new DhcpReply(type, request, yiaddr, null, null, options,
                ReplyDestination.forReply(request, type, yiaddr));
    }

    /** The address an OFFER or ACK to {@code request} hands out. */
    static Ipv4Address yiaddrFor(DhcpRequest request) {
        if (!request.ciaddr().isAny()) {
            return request.ciaddr();
        }
        return request.requestedAddress() != null ? request.requestedAddress() : FREE_ADDRESS;
    }

    /**
     * An OFFER to a DISCOVER, else an ACK: type, server id and lease times, then what option 55 asks for in its
     * order, then the echoes of options 61 and 82; next server and boot file set, so that every field is used.
     */
    static DhcpReply typical(DhcpRequest request) {
        DhcpMessageType type = DhcpMessageType.DISCOVER.equals(request.messageType())
                ? DhcpMessageType.OFFER : DhcpMessageType.ACK;
        List<DhcpReply.Option> options = new ArrayList<>();
        options.add(essential(53, type(type)));
        options.add(essential(54, SERVER.toBytes()));
        options.add(essential(51, OptionValues.uint32(120)));
        options.add(essential(58, OptionValues.uint32(60)));
        options.add(essential(59, OptionValues.uint32(105)));
        for (int code : request.parameterRequestList()) {
            byte[] value = CONFIGURATION.get(code);
            boolean added = options.stream().anyMatch(o -> o.code() == code); // a code listed twice is sent once
            if (value != null && !added) {
                options.add(new DhcpReply.Option(code, value, code == 1 || code == 3));
            }
        }
        addEchoes(options, request);
        Ipv4Address yiaddr = yiaddrFor(request);
        return new DhcpReply(type, request, yiaddr, Ipv4Address.parse("192.0.2.69"), "pxelinux.0", options,
                ReplyDestination.forReply(request, type, yiaddr));
    }

    /** The least a server sends, a NAK: type, server id and the echoes RFC 6842 and RFC 3046 require. */
    static DhcpReply minimal(DhcpRequest request) {
        List<DhcpReply.Option> options = new ArrayList<>();
        options.add(essential(53, type(DhcpMessageType.NAK)));
        options.add(essential(54, SERVER.toBytes()));
        addEchoes(options, request);
        return of(request, DhcpMessageType.NAK, null, options);
    }

    private static void addEchoes(List<DhcpReply.Option> options, DhcpRequest request) {
        if (request.clientIdentifier() != null) {
            options.add(essential(61, request.clientIdentifier()));
        }
        if (request.relayAgentInformation() != null) {
            options.add(essential(82, request.relayAgentInformation()));
        }
    }
}
