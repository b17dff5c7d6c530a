package io.fabricipam.dhcp.codec;

import static io.fabricipam.dhcp.codec.Replies.essential;
import static io.fabricipam.dhcp.codec.Replies.optional;
import static io.fabricipam.dhcp.codec.Replies.type;
import static io.fabricipam.dhcp.codec.Wire.codes;
import static io.fabricipam.dhcp.codec.Wire.hex;
import static io.fabricipam.dhcp.codec.Wire.instances;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.StaticRoute;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DhcpCodecTest {

    private final DhcpCodec codec = new DhcpCodec();

    // ---- what the captured clients sent (expected values read with tcpdump -vv from the same pcaps) ----------

    static final String UDHCPC_CLIENT_ID = "0102fc00000001";
    /** RFC 4361: type 255, IAID 00000003, DUID-LL (type 3, hardware type 1, the MAC). */
    private static final String DHCPCD_CLIENT_ID = "ff00000003000300010" + "2fc00000003";
    private static final int[] UDHCPC_PRL = {1, 3, 6, 12, 15, 28, 42};
    private static final int[] DHCLIENT_PRL = {1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42};
    private static final int[] DHCPCD_PRL = {1, 121, 3, 6, 12, 15, 26, 28, 33, 51, 54, 58, 59, 119};
    private static final int[] NONE = {};

    /** One captured client message and what decoding it must give. Null means the option is absent. */
    record Expected(String fixture, DhcpMessageType type, int xid, String mac, String ciaddr, String clientId,
            String requested, String serverId, int[] prl, int maxMessageSize, String hostname) {
    }

    static Stream<Expected> clientMessages() {
        var discover = DhcpMessageType.DISCOVER;
        var request = DhcpMessageType.REQUEST;
        var release = DhcpMessageType.RELEASE;
        String u = "02:fc:00:00:00:01";
        String c = "02:fc:00:00:00:02";
        String d = "02:fc:00:00:00:03";
        return Stream.of(
                new Expected("udhcpc-discover", discover, 0xffa90a56, u, null, UDHCPC_CLIENT_ID, null, null,
                        UDHCPC_PRL, 576, null),
                new Expected("udhcpc-request-selecting", request, 0xffa90a56, u, null, UDHCPC_CLIENT_ID,
                        "192.0.2.105", "192.0.2.1", UDHCPC_PRL, 576, null),
                new Expected("udhcpc-request-renewing", request, 0xffa90a56, u, "192.0.2.105", UDHCPC_CLIENT_ID,
                        null, null, UDHCPC_PRL, 576, null),
                new Expected("udhcpc-release", release, 0x73cce02e, u, "192.0.2.105", UDHCPC_CLIENT_ID, null,
                        "192.0.2.1", NONE, 0, null),
                new Expected("dhclient-discover", discover, 0x7321c95b, c, null, null, null, null, DHCLIENT_PRL, 0,
                        "fxc-dhclient"),
                new Expected("dhclient-request-selecting", request, 0x7321c95b, c, null, null, "192.0.2.106",
                        "192.0.2.1", DHCLIENT_PRL, 0, "fxc-dhclient"),
                new Expected("dhclient-request-renewing", request, 0x7321c95b, c, "192.0.2.106", null, null, null,
                        DHCLIENT_PRL, 0, "fxc-dhclient"),
                new Expected("dhclient-release", release, 0x3b42ac3d, c, "192.0.2.106", null, null, "192.0.2.1",
                        NONE, 0, "fxc-dhclient"),
                new Expected("dhcpcd-discover", discover, 0xbac86d90, d, null, DHCPCD_CLIENT_ID, null, null,
                        DHCPCD_PRL, 1472, "fxc-dhcpcd"),
                new Expected("dhcpcd-request-selecting", request, 0xbac86d90, d, null, DHCPCD_CLIENT_ID,
                        "192.0.2.107", "192.0.2.1", DHCPCD_PRL, 1472, "fxc-dhcpcd"),
                new Expected("dhcpcd-request-renewing", request, 0xfdaf36a1, d, "192.0.2.107", DHCPCD_CLIENT_ID,
                        null, null, DHCPCD_PRL, 1472, "fxc-dhcpcd"),
                new Expected("dhcpcd-release", release, 0xeabc07de, d, "192.0.2.107", DHCPCD_CLIENT_ID, null,
                        "192.0.2.1", NONE, 0, null));
    }

    @Test
    void everyCapturedClientMessageHasExpectations() {
        assertThat(clientMessages().map(Expected::fixture))
                .containsExactlyInAnyOrderElementsOf(Fixtures.clientMessages());
        assertThat(Fixtures.clientMessages()).allSatisfy(name -> assertThat(Fixtures.header(name))
                .as("fixture header of %s", name).startsWith("# ").contains("capture-dhcp-fixtures"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientMessages")
    void decodesWhatTheClientSent(Expected e) throws Exception {
        DhcpRequest request = codec.decode(Fixtures.load(e.fixture()));

        assertThat(request.messageType()).isEqualTo(e.type());
        assertThat(request.xid()).isEqualTo(e.xid());
        assertThat(request.mac()).isEqualTo(MacAddress.parse(e.mac()));
        assertThat(request.ciaddr()).isEqualTo(e.ciaddr() == null ? Ipv4Address.ANY : Ipv4Address.parse(e.ciaddr()));
        assertThat(request.isRelayed()).isFalse();
        assertThat(request.broadcastFlag()).isFalse();
        assertThat(request.clientIdentifier()).isEqualTo(e.clientId() == null ? null : hex(e.clientId()));
        assertThat(request.requestedAddress()).isEqualTo(address(e.requested()));
        assertThat(request.serverIdentifier()).isEqualTo(address(e.serverId()));
        assertThat(request.parameterRequestList()).containsExactly(e.prl());
        assertThat(request.hasParameterRequestList()).isEqualTo(e.prl().length > 0);
        assertThat(request.maxMessageSize()).isEqualTo(e.maxMessageSize());
        assertThat(request.hostname()).isEqualTo(e.hostname());
        assertThat(request.relayAgentInformation()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientMessages")
    void replyBytesReadBackWithPlainDhcp4java(Expected e) throws Exception {
        DhcpRequest request = codec.decode(Fixtures.load(e.fixture()));
        DhcpReply reply = Replies.typical(request);

        DhcpCodec.EncodedReply encoded = codec.encode(reply);
        byte[] bytes = encoded.payload();
        DHCPPacket read = DHCPPacket.getPacket(bytes, 0, bytes.length, true);

        assertThat(encoded.omittedOptions()).isEmpty();
        assertThat(read.getOp()).isEqualTo((byte) 2);
        assertThat(read.getHtype()).isEqualTo((byte) 1);
        assertThat(read.getHlen()).isEqualTo((byte) 6);
        assertThat(read.getHops()).isZero();
        assertThat(read.getXid()).isEqualTo(e.xid());
        assertThat(read.getFlags()).isZero();
        assertThat(Arrays.copyOf(read.getChaddr(), 6)).isEqualTo(MacAddress.parse(e.mac()).toBytes());
        // RFC 2131 table 3: ciaddr is echoed in an ACK only; an OFFER carries zero
        Ipv4Address ciaddr = DhcpMessageType.ACK.equals(reply.messageType()) ? request.ciaddr() : Ipv4Address.ANY;
        assertThat(Ipv4Address.of(read.getCiaddrRaw())).isEqualTo(ciaddr);
        assertThat(Ipv4Address.of(read.getYiaddrRaw())).isEqualTo(reply.yiaddr());
        assertThat(Ipv4Address.of(read.getSiaddrRaw())).isEqualTo(reply.siaddr());
        assertThat(Ipv4Address.of(read.getGiaddrRaw())).isEqualTo(Ipv4Address.ANY);
        assertThat(read.getFile()).isEqualTo("pxelinux.0");
        assertThat(read.getDHCPMessageType()).isEqualTo((byte) reply.messageType().code());
        assertThat(codes(read)).as("options in the reply's order")
                .containsExactlyElementsOf(reply.options().stream().map(DhcpReply.Option::code).toList());
        for (DhcpReply.Option o : reply.options()) {
            assertThat(read.getOptionRaw((byte) o.code())).as("option %d", o.code()).isEqualTo(o.value());
        }
        if (e.clientId() != null) {
            assertThat(read.getOptionRaw((byte) 61)).as("RFC 6842 echo").isEqualTo(hex(e.clientId()));
        }
        assertThat(bytes.length).isBetween(DhcpCodec.MIN_PAYLOAD, DhcpCodec.DEFAULT_MAX_PAYLOAD);
    }

    @Test
    void decodesOnlyItsSliceOfALargerFrame() throws Exception {
        // the OpenFlow front end decodes in place: Ethernet, IP and UDP headers before, other bytes after
        byte[] payload = Fixtures.load("dhclient-discover");
        List<int[]> options = instances(payload);
        int[] last = options.get(options.size() - 1);
        int length = last[1] + 2 + last[2]; // up to the last option, without END
        byte[] frame = new byte[42 + payload.length + 64];
        Arrays.fill(frame, (byte) 0xee); // read as options, these would overrun
        System.arraycopy(payload, 0, frame, 42, length);

        DhcpRequest request = codec.decode(frame, 42, length);

        assertThat(request.xid()).isEqualTo(0x7321c95b);
        assertThat(request.parameterRequestList()).containsExactly(DHCLIENT_PRL);
        assertThat(request.options().codes()).containsExactly(53, 12, 55);
    }

    @Test
    void nakCarriesNoAddressesAndKeepsTheClientsFields() throws Exception {
        DhcpRequest renewing = codec.decode(Fixtures.load("dhclient-request-renewing"));

        byte[] bytes = codec.encode(Replies.minimal(renewing)).payload();
        DHCPPacket read = DHCPPacket.getPacket(bytes, 0, bytes.length, true);

        assertThat(read.getDHCPMessageType()).isEqualTo((byte) 6);
        assertThat(read.getCiaddrRaw()).containsExactly(0, 0, 0, 0);
        assertThat(read.getYiaddrRaw()).containsExactly(0, 0, 0, 0);
        assertThat(read.getSiaddrRaw()).containsExactly(0, 0, 0, 0);
        assertThat(read.getXid()).isEqualTo(0x7321c95b);
        assertThat(read.getFile()).isEmpty();
    }

    @Test
    void dnsmasqRepliesAreNotRequests() {
        assertThat(Fixtures.all()).filteredOn(n -> n.startsWith("dnsmasq-")).hasSize(6).allSatisfy(name ->
                assertThatThrownBy(() -> codec.decode(Fixtures.load(name)))
                        .isInstanceOfSatisfying(MalformedPacketException.class,
                                e -> assertThat(e.reason()).isEqualTo(DropReason.NOT_BOOTREQUEST)));
    }

    @Test
    void dnsmasqAnswersTheCapturedRequestWithBytesOurEncodersAlsoWrite() throws Exception {
        DhcpRequest asked = codec.decode(Fixtures.load("dhcpcd-request-selecting"));
        byte[] ack = Fixtures.load("dnsmasq-ack-to-dhcpcd");
        DHCPPacket read = DHCPPacket.getPacket(ack, 0, ack.length, true);

        assertThat(read.getXid()).isEqualTo(asked.xid());
        assertThat(read.getDHCPMessageType()).isEqualTo((byte) 5);
        assertThat(Ipv4Address.of(read.getYiaddrRaw())).isEqualTo(asked.requestedAddress());
        // the capture script gives dnsmasq the route 198.51.100.0/24 via 192.0.2.1 and the search list
        // fxc.example, lab.fxc.example
        assertThat(read.getOptionRaw((byte) 121)).isEqualTo(OptionValues.classlessRoutes(List.of(new StaticRoute(
                Ipv4Network.parse("198.51.100.0/24"), Replies.SERVER))));
        byte[] first = OptionValues.domainSearch(List.of("fxc.example"));
        assertThat(Arrays.copyOf(read.getOptionRaw((byte) 119), first.length))
                .as("dnsmasq compresses the second name (RFC 3397 allows it); the first is plain").isEqualTo(first);
    }

    // ---- RFC 3396 long options ---------------------------------------------------------------------------------

    @Nested
    class LongOptions {

        private final List<String> searchList = Stream.iterate(1, i -> i + 1).limit(30)
                .map(i -> "zone" + i + ".fxc.example").toList();

        @Test
        void longOptionGoesOutAsConsecutiveChunksAndReadsBackWhole() throws Exception {
            DhcpRequest request = codec.decode(Fixtures.load("dhcpcd-discover")); // asks for 119, accepts 1444
            byte[] search = OptionValues.domainSearch(searchList);
            assertThat(search.length).isGreaterThan(2 * 255);
            DhcpReply reply = Replies.of(request, DhcpMessageType.OFFER, Replies.FREE_ADDRESS, List.of(
                    essential(53, type(DhcpMessageType.OFFER)), essential(54, Replies.SERVER.toBytes()),
                    optional(119, search), optional(15, "fxc.example".getBytes(StandardCharsets.US_ASCII))));

            DhcpCodec.EncodedReply encoded = codec.encode(reply);
            byte[] bytes = encoded.payload();

            assertThat(encoded.omittedOptions()).isEmpty();
            List<int[]> instances = instances(bytes);
            List<int[]> chunks = instances.stream().filter(i -> i[0] == 119).toList();
            assertThat(chunks).extracting(i -> i[2]).containsExactly(255, 255, search.length - 510);
            int first = instances.indexOf(chunks.get(0));
            assertThat(instances.subList(first, first + 3)).containsExactlyElementsOf(chunks);
            assertThat(OptionScanner.scan(bytes, 0, bytes.length).get(119)).isEqualTo(search);
            assertThat(DHCPPacket.getPacket(bytes, 0, bytes.length, true).getOptionRaw((byte) 15))
                    .isEqualTo("fxc.example".getBytes(StandardCharsets.US_ASCII));
        }

        @Test
        void longOptionKeepsItsPlaceInTheReplysOrder() throws Exception {
            // DhcpReply's order is the wire order: here the echoes, with option 82 last, follow the long option
            DhcpRequest request = codec.decode(RequestBytes.of(DhcpMessageType.DISCOVER).giaddr("198.51.100.1")
                    .option(57, 5, 220).option(61, 1, 2, 0, 0x5e, 0, 0x53, 1).option(82, 1, 2, 'p', '1').build());
            DhcpReply reply = Replies.of(request, DhcpMessageType.OFFER, Replies.FREE_ADDRESS, List.of(
                    essential(53, type(DhcpMessageType.OFFER)), essential(54, Replies.SERVER.toBytes()),
                    optional(119, OptionValues.domainSearch(searchList)),
                    optional(15, "fxc.example".getBytes(StandardCharsets.US_ASCII)),
                    essential(61, request.clientIdentifier()), essential(82, request.relayAgentInformation())));

            byte[] bytes = codec.encode(reply).payload();

            assertThat(instances(bytes)).extracting(i -> i[0]).containsExactly(53, 54, 119, 119, 119, 15, 61, 82);
        }

        @Test
        void aLongOptionCountsWithItsChunkHeadersAgainstTheLimit() throws Exception {
            DhcpRequest request = codec.decode(Fixtures.load("dhclient-discover")); // 548
            // 240 + 9 + 300 (296 + two headers) = 549 with END: one byte too many
            DhcpReply reply = Replies.of(request, DhcpMessageType.OFFER, Replies.FREE_ADDRESS, List.of(
                    essential(53, type(DhcpMessageType.OFFER)), essential(54, Replies.SERVER.toBytes()),
                    optional(119, 296)));

            DhcpCodec.EncodedReply encoded = codec.encode(reply);

            assertThat(encoded.omittedOptions()).containsExactly(119);
            assertThat(encoded.payload().length).isLessThanOrEqualTo(548);
        }

        @Test
        void decoderConcatenatesInstancesOfTheSameOption() throws Exception {
            byte[] vendorClass = new byte[300];
            Arrays.fill(vendorClass, (byte) 'v');
            vendorClass[0] = 'A';
            vendorClass[299] = 'Z';
            byte[] bytes = RequestBytes.of(DhcpMessageType.DISCOVER)
                    .option(60, Arrays.copyOfRange(vendorClass, 0, 255))
                    .option(12, 'h', 'o', 's', 't') // another option in between: still one option 60
                    .option(60, Arrays.copyOfRange(vendorClass, 255, 300))
                    .build();

            DhcpRequest request = codec.decode(bytes);

            assertThat(request.options().get(60)).isEqualTo(vendorClass);
            assertThat(request.packet().getOptionRaw((byte) 60)).as("dhcp4java's view agrees").isEqualTo(vendorClass);
            assertThat(request.hostname()).isEqualTo("host");
        }
    }

    // ---- option 52 -------------------------------------------------------------------------------------------

    @Nested
    class OptionOverload {

        @Test
        void fileFieldCarriesOptions() throws Exception {
            byte[] bytes = RequestBytes.of(DhcpMessageType.REQUEST).option(52, 1)
                    .file(61, 7, 1, 2, 0, 0x5e, 0, 0x53, 1, 12, 3, 'p', 'x', 'e', 255)
                    .build();

            DhcpRequest request = codec.decode(bytes);

            assertThat(request.clientIdentifier()).isEqualTo(hex("0102005e005301"));
            assertThat(request.hostname()).isEqualTo("pxe");
        }

        @Test
        void snameFieldCarriesOptions() throws Exception {
            byte[] bytes = RequestBytes.of(DhcpMessageType.REQUEST).option(52, 2)
                    .sname(50, 4, 192, 0, 2, 9, 0, 0, 54, 4, 192, 0, 2, 1, 255)
                    .file('b', 'o', 'o', 't') // not options: only sname is overloaded
                    .build();

            DhcpRequest request = codec.decode(bytes);

            assertThat(request.requestedAddress()).isEqualTo(Ipv4Address.parse("192.0.2.9"));
            assertThat(request.serverIdentifier()).isEqualTo(Replies.SERVER);
            assertThat(request.options().codes()).containsExactly(53, 52, 50, 54);
        }

        @Test
        void splitOptionJoinsInRfc3396OrderOptionsThenFileThenSname() throws Exception {
            byte[] bytes = RequestBytes.of(DhcpMessageType.DISCOVER).option(52, 3).option(12, 'a', 'b')
                    .sname(12, 2, 'e', 'f', 255)
                    .file(12, 2, 'c', 'd', 255)
                    .build();

            assertThat(codec.decode(bytes).hostname()).isEqualTo("abcdef");
        }

        @Test
        void withoutOption52FileAndSnameAreNotRead() throws Exception {
            byte[] bytes = RequestBytes.of(DhcpMessageType.DISCOVER)
                    .file(12, 3, 'p', 'x', 'e', 255)
                    .sname(50, 4, 192, 0, 2, 9, 255)
                    .build();

            DhcpRequest request = codec.decode(bytes);

            assertThat(request.hostname()).isNull();
            assertThat(request.requestedAddress()).isNull();
        }
    }

    // ---- relays ----------------------------------------------------------------------------------------------

    @Nested
    class Relayed {

        /** Circuit id "ge-0/0/1.100", remote id the relay's MAC. */
        private final byte[] relayInfo = hex("010c67652d302f302f312e313030" + "0206" + "02005e0053fe");

        private DhcpRequest relayedDiscover() throws MalformedPacketException {
            return codec.decode(RequestBytes.of(DhcpMessageType.DISCOVER).giaddr("198.51.100.1")
                    .option(61, 1, 2, 0, 0x5e, 0, 0x53, 1)
                    .option(82, relayInfo)
                    .build());
        }

        @Test
        void option82IsEchoedVerbatim() throws Exception {
            DhcpRequest request = relayedDiscover();
            assertThat(request.relayAgentInformation()).isEqualTo(relayInfo);

            byte[] bytes = codec.encode(Replies.typical(request)).payload();
            DHCPPacket read = DHCPPacket.getPacket(bytes, 0, bytes.length, true);

            assertThat(read.getOptionRaw((byte) 82)).isEqualTo(relayInfo);
            assertThat(Ipv4Address.of(read.getGiaddrRaw())).isEqualTo(Ipv4Address.parse("198.51.100.1"));
            List<int[]> instances = instances(bytes);
            int[] last = instances.get(instances.size() - 1);
            assertThat(last[0]).as("the echo is the last option").isEqualTo(82);
            assertThat(Arrays.copyOfRange(bytes, last[1] + 2, last[1] + 2 + last[2])).isEqualTo(relayInfo);
        }

        @Test
        void repliesGoToTheRelay() throws Exception {
            DhcpRequest request = relayedDiscover();

            assertThat(Replies.typical(request).destination()).isEqualTo(new ReplyDestination(
                    ReplyDestination.Kind.RELAY, Ipv4Address.parse("198.51.100.1"), 67, null));
        }

        @Test
        void nakThroughARelayHasTheBroadcastBitSet() throws Exception {
            // RFC 2131 §4.3.2: the client may not have the address the NAK is about, so the relay must broadcast it
            DhcpRequest request = relayedDiscover();
            assertThat(request.broadcastFlag()).isFalse();

            byte[] bytes = codec.encode(Replies.minimal(request)).payload();
            DHCPPacket read = DHCPPacket.getPacket(bytes, 0, bytes.length, true);

            assertThat(read.getFlags() & 0x8000).isEqualTo(0x8000);
        }

        @Test
        void offerThroughARelayKeepsTheClientsFlags() throws Exception {
            byte[] bytes = codec.encode(Replies.typical(relayedDiscover())).payload();

            assertThat(DHCPPacket.getPacket(bytes, 0, bytes.length, true).getFlags()).isZero();
        }
    }

    private static Ipv4Address address(String text) {
        return text == null ? null : Ipv4Address.parse(text);
    }
}
