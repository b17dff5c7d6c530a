package io.fabricipam.dhcp.codec;

import static io.fabricipam.dhcp.codec.Replies.essential;
import static io.fabricipam.dhcp.codec.Replies.optional;
import static io.fabricipam.dhcp.codec.Replies.type;
import static io.fabricipam.dhcp.codec.Wire.codes;
import static io.fabricipam.dhcp.codec.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.net.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replies fit what the client accepts (option 57, else RFC 2131's 576-byte datagram) and the link; what does
 * not fit is optional options left out from the end, reported, never a packet over the limit.
 */
class ReplySizeLimitTest {

    private final DhcpCodec codec = new DhcpCodec();

    /** Type, server id and four 150-byte optional options: about 860 bytes in all. */
    private DhcpReply fat(DhcpRequest request) {
        List<DhcpReply.Option> options = new ArrayList<>();
        options.add(essential(53, type(DhcpMessageType.OFFER)));
        options.add(essential(54, Replies.SERVER.toBytes()));
        for (int code = 224; code < 228; code++) {
            options.add(optional(code, 150));
        }
        return Replies.of(request, DhcpMessageType.OFFER, Replies.FREE_ADDRESS, options);
    }

    @ParameterizedTest(name = "{0} may get {1} bytes")
    @MethodSource("clientLimits")
    void replyFitsWhatTheClientAccepts(String fixture, int limit) throws Exception {
        DhcpRequest request = codec.decode(Fixtures.load(fixture));

        DhcpCodec.EncodedReply encoded = codec.encode(fat(request));

        assertThat(encoded.payload().length).isLessThanOrEqualTo(limit);
        assertThat(DHCPPacket.getPacket(encoded.payload(), 0, encoded.payload().length, true).getXid())
                .isEqualTo(request.xid());
        if (limit == DhcpCodec.DEFAULT_MAX_PAYLOAD) {
            assertThat(encoded.omittedOptions()).isNotEmpty();
        } else {
            assertThat(encoded.omittedOptions()).isEmpty();
            assertThat(encoded.payload().length).isGreaterThan(DhcpCodec.DEFAULT_MAX_PAYLOAD);
        }
    }

    @ParameterizedTest(name = "option 57 = {0}, link MTU {1} -> {2}")
    @MethodSource("maxPayloads")
    void maxPayloadIsTheSmallerOfOption57AndTheLink(int option57, int linkMtu, int expected) throws Exception {
        RequestBytes bytes = RequestBytes.of(DhcpMessageType.DISCOVER);
        if (option57 > 0) {
            bytes.option(57, option57 >>> 8, option57 & 0xff);
        }
        DhcpRequest request = codec.decode(bytes.build());

        assertThat(DhcpCodec.maxPayload(request, linkMtu)).isEqualTo(expected);
        DhcpCodec.EncodedReply encoded = codec.encode(fat(request), linkMtu);
        assertThat(encoded.payload().length).isLessThanOrEqualTo(expected);
    }

    @Test
    void replyThatFillsTheLimitExactlyKeepsEverything() throws Exception {
        DhcpRequest request = codec.decode(Fixtures.load("dhclient-discover"));
        // 240 header and cookie + 9 (53, 54) + 257 + 41 + 1 END = 548
        DhcpReply reply = Replies.of(request, DhcpMessageType.OFFER, Replies.FREE_ADDRESS, List.of(
                essential(53, type(DhcpMessageType.OFFER)), essential(54, Replies.SERVER.toBytes()),
                optional(224, 255), optional(225, 39)));

        DhcpCodec.EncodedReply encoded = codec.encode(reply);

        assertThat(encoded.payload()).hasSize(548);
        assertThat(encoded.omittedOptions()).isEmpty();
    }

    @Test
    void oneByteMoreLeavesOutTheLastOptionalOption() throws Exception {
        DhcpRequest request = codec.decode(Fixtures.load("dhclient-discover"));
        DhcpReply reply = Replies.of(request, DhcpMessageType.OFFER, Replies.FREE_ADDRESS, List.of(
                essential(53, type(DhcpMessageType.OFFER)), essential(54, Replies.SERVER.toBytes()),
                optional(224, 255), optional(225, 40)));

        DhcpCodec.EncodedReply encoded = codec.encode(reply);

        assertThat(encoded.omittedOptions()).containsExactly(225);
        assertThat(encoded.payload()).hasSize(548 - 41); // 225's 39 value bytes and 2 header bytes
        assertThat(codes(DHCPPacket.getPacket(encoded.payload(), 0, encoded.payload().length, true)))
                .containsExactly(53, 54, 224);
    }

    @Test
    void tooBigReplyLeavesOutOptionalOptionsFromTheEndAndReportsThem() throws Exception {
        DhcpRequest request = codec.decode(Fixtures.load("udhcpc-discover")); // option 57 = 576
        List<DhcpReply.Option> options = new ArrayList<>(List.of(
                essential(53, type(DhcpMessageType.OFFER)), essential(54, Replies.SERVER.toBytes()),
                essential(51, OptionValues.uint32(120)), essential(1, Ipv4Address.parse("255.255.255.0").toBytes()),
                essential(3, Replies.SERVER.toBytes()), optional(6, Ipv4Address.parse("192.0.2.53").toBytes()),
                optional(15, "fxc.example".getBytes(StandardCharsets.US_ASCII)),
                optional(224, 150), optional(225, 150), optional(226, 150),
                essential(61, request.clientIdentifier())));

        DhcpCodec.EncodedReply encoded = codec.encode(Replies.of(request, DhcpMessageType.OFFER,
                Replies.FREE_ADDRESS, options));
        byte[] bytes = encoded.payload();
        DHCPPacket read = DHCPPacket.getPacket(bytes, 0, bytes.length, true);

        assertThat(encoded.omittedOptions()).containsExactly(225, 226);
        assertThat(bytes.length).isLessThanOrEqualTo(548);
        assertThat(codes(read)).containsExactly(53, 54, 51, 1, 3, 6, 15, 224, 61);
        assertThat(read.getOptionRaw((byte) 61)).isEqualTo(hex(DhcpCodecTest.UDHCPC_CLIENT_ID));
    }

    @Test
    void longestEchoesTheDecoderAcceptsStillFitTheSmallestReply() throws Exception {
        byte[] clientId = new byte[181]; // 183 and 60 on the wire: MAX_ECHOED_LENGTH
        Arrays.fill(clientId, (byte) 'c');
        clientId[0] = 0;
        byte[] relayInfo = new byte[58];
        Arrays.fill(relayInfo, (byte) 'r');
        relayInfo[0] = 1;
        relayInfo[1] = 56;
        DhcpRequest request = codec.decode(RequestBytes.of(DhcpMessageType.DISCOVER).giaddr("198.51.100.1")
                .option(55, 1, 3, 6, 15, 119).option(61, clientId).option(82, relayInfo).build());

        DhcpCodec.EncodedReply encoded = codec.encode(Replies.typical(request));
        byte[] bytes = encoded.payload();
        DHCPPacket read = DHCPPacket.getPacket(bytes, 0, bytes.length, true);

        assertThat(bytes.length).isLessThanOrEqualTo(548);
        assertThat(read.getOptionRaw((byte) 61)).isEqualTo(clientId);
        assertThat(read.getOptionRaw((byte) 82)).isEqualTo(relayInfo);
        // 307 option bytes: 39 essential + 243 echoed leave 25, room for 6 (6) and 15 (13) but not 119 (33)
        assertThat(encoded.omittedOptions()).containsExactly(119);
        assertThat(codes(read)).containsExactly(53, 54, 51, 58, 59, 1, 3, 6, 15, 61, 82);
    }

    @Test
    void emptyOptionGoesOutAsCodeAndZeroLength() throws Exception {
        DhcpRequest request = codec.decode(Fixtures.load("dhclient-discover"));

        byte[] bytes = codec.encode(Replies.of(request, DhcpMessageType.OFFER, Replies.FREE_ADDRESS, List.of(
                essential(53, type(DhcpMessageType.OFFER)), optional(80, new byte[0])))).payload();

        assertThat(Arrays.copyOfRange(bytes, 240, 246)).containsExactly(53, 1, 2, 80, 0, 255);
    }

    @Test
    void padAndEndAreNotOptions() {
        assertThatThrownBy(() -> optional(0, new byte[] {1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> optional(255, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> optional(6, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortRepliesArePaddedToTheBootpMinimum() throws Exception {
        DhcpRequest request = codec.decode(Fixtures.load("dhclient-request-renewing"));

        byte[] bytes = codec.encode(Replies.of(request, DhcpMessageType.NAK, null,
                List.of(essential(53, type(DhcpMessageType.NAK))))).payload();

        assertThat(bytes).hasSize(DhcpCodec.MIN_PAYLOAD);
        assertThat(bytes[240]).isEqualTo((byte) 53);
        assertThat(bytes[243]).isEqualTo((byte) 255);
        assertThat(Arrays.copyOfRange(bytes, 244, 300)).containsOnly(0);
    }

    static Stream<Arguments> clientLimits() {
        return Stream.of(
                Arguments.of("udhcpc-discover", 548), // option 57 = 576
                Arguments.of("dhclient-discover", 548), // no option 57: RFC 2131 §2's 576
                Arguments.of("dhcpcd-discover", 1472 - 28)); // option 57 = 1472, read as an IP datagram
    }

    static Stream<Arguments> maxPayloads() {
        return Stream.of(
                Arguments.of(0, 1500, 548),
                Arguments.of(300, 1500, 548), // below RFC 2132's minimum of 576: 576
                Arguments.of(576, 1500, 548),
                Arguments.of(1000, 1500, 972),
                Arguments.of(1472, 1500, 1444),
                Arguments.of(1500, 1500, 1472),
                Arguments.of(65535, 1500, 1472), // never more than the link carries
                Arguments.of(65535, 1450, 1422)); // a VXLAN overlay
    }
}
