package io.fabricipam.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a request can be refused, each with the reason an operator would see counted. */
class MalformedPacketTest {

    private final DhcpCodec codec = new DhcpCodec();

    private DropReason reasonFor(byte[] packet) {
        return reasonFor(packet, 0, packet.length);
    }

    private DropReason reasonFor(byte[] buf, int offset, int length) {
        try {
            DhcpRequest accepted = codec.decode(buf, offset, length);
            throw new AssertionError("accepted " + accepted);
        } catch (MalformedPacketException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.reason();
        }
    }

    // ---- length ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.fabricipam.dhcp.codec.Fixtures#clientMessages")
    void everyLengthShorterThanHeaderAndCookieIsTruncated(String fixture) {
        byte[] whole = Fixtures.load(fixture);

        for (int length = 0; length < 240; length++) {
            assertThat(reasonFor(whole, 0, length)).as("%d bytes", length).isEqualTo(DropReason.TRUNCATED);
            assertThat(reasonFor(Arrays.copyOf(whole, length))).as("%d-byte array", length)
                    .isEqualTo(DropReason.TRUNCATED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.fabricipam.dhcp.codec.Fixtures#clientMessages")
    void cutInsideAnOptionIsAnOverrun(String fixture) throws Exception {
        byte[] whole = Fixtures.load(fixture);
        List<Integer> cuts = new ArrayList<>();
        for (int[] option : Wire.instances(whole)) {
            int start = option[1];
            int length = option[2];
            cuts.add(start + 1); // the code, no length
            if (length > 0) {
                cuts.add(start + 2); // code and length, no value
                cuts.add(start + 2 + length - 1); // all but the last value byte
            }
        }
        assertThat(cuts).hasSizeGreaterThan(6);

        for (int cut : cuts) {
            assertThat(reasonFor(whole, 0, cut)).as("cut at %d", cut).isEqualTo(DropReason.OPTION_OVERRUN);
        }
    }

    @Test
    void cutBetweenOptionsLosesOnlyEnd() throws Exception {
        // dhcpcd puts option 50 before 53: cut after 50 there is no message type; cut after 53 it is a request
        byte[] whole = Fixtures.load("dhcpcd-request-selecting");
        List<int[]> options = Wire.instances(whole);
        assertThat(options.get(0)[0]).isEqualTo(50);
        assertThat(options.get(1)[0]).isEqualTo(53);
        int afterRequested = options.get(1)[1];
        int afterType = options.get(2)[1];

        assertThat(reasonFor(whole, 0, afterRequested)).isEqualTo(DropReason.MISSING_MESSAGE_TYPE);
        DhcpRequest request = codec.decode(whole, 0, afterType);
        assertThat(request.messageType()).isEqualTo(DhcpMessageType.REQUEST);
        assertThat(request.requestedAddress()).hasToString("192.0.2.107");
        assertThat(request.serverIdentifier()).as("after the cut").isNull();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1473, 1500, 1501, 9000, 65507})
    void largerThanAnEthernetPayloadIsOversized(int length) {
        byte[] huge = Arrays.copyOf(Fixtures.load("udhcpc-discover"), length);

        assertThat(reasonFor(huge)).isEqualTo(DropReason.OVERSIZED);
    }

    @Test
    void exactlyTheLargestPayloadIsAccepted() throws Exception {
        byte[] largest = Arrays.copyOf(Fixtures.load("udhcpc-discover"), DhcpCodec.MAX_PACKET_LENGTH);

        assertThat(codec.decode(largest).messageType()).isEqualTo(DhcpMessageType.DISCOVER);
    }

    // ---- fixed header ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "op {0}")
    @ValueSource(ints = {0, 2, 3, 255})
    void onlyBootRequestsAreAccepted(int op) {
        assertThat(reasonFor(RequestBytes.of(DhcpMessageType.DISCOVER).op(op).build()))
                .isEqualTo(DropReason.NOT_BOOTREQUEST);
    }

    @ParameterizedTest(name = "htype {0} hlen {1}")
    @MethodSource("nonEthernet")
    void onlyEthernetHardwareIsAccepted(int htype, int hlen) {
        assertThat(reasonFor(RequestBytes.of(DhcpMessageType.DISCOVER).hardware(htype, hlen).build()))
                .isEqualTo(DropReason.UNSUPPORTED_HARDWARE);
    }

    static Stream<Arguments> nonEthernet() {
        return Stream.of(
                Arguments.of(32, 0), // InfiniBand, RFC 4390: hlen 0, the address is in option 61
                Arguments.of(32, 20),
                Arguments.of(6, 6), // IEEE 802
                Arguments.of(0, 6),
                Arguments.of(1, 0),
                Arguments.of(1, 8),
                Arguments.of(1, 16));
    }

    @ParameterizedTest(name = "cookie 0x{0}")
    @ValueSource(ints = {0, 0x63825364, 0x63538263, 0xffffffff})
    void wrongMagicCookie(int cookie) {
        assertThat(reasonFor(RequestBytes.of(DhcpMessageType.DISCOVER).cookie(cookie).build()))
                .isEqualTo(DropReason.BAD_MAGIC_COOKIE);
    }

    // ---- options area ------------------------------------------------------------------------------------------

    @Test
    void optionLengthRunningPastTheEnd() {
        byte[] packet = RequestBytes.of(DhcpMessageType.DISCOVER).raw(12, 200, 'a', 'b', 'c').noEnd().build();

        assertThat(reasonFor(packet)).isEqualTo(DropReason.OPTION_OVERRUN);
    }

    @Test
    void codeWithoutALengthByte() {
        byte[] packet = RequestBytes.of(DhcpMessageType.DISCOVER).raw(12).noEnd().build();

        assertThat(reasonFor(packet)).isEqualTo(DropReason.OPTION_OVERRUN);
    }

    @Test
    void optionOverrunInsideTheOverloadedFileField() {
        int[] file = new int[128];
        file[126] = 12;
        file[127] = 10; // ten bytes claimed, none left in the field
        byte[] packet = RequestBytes.of(DhcpMessageType.DISCOVER).option(52, 1).file(file).build();

        assertThat(reasonFor(packet)).isEqualTo(DropReason.OPTION_OVERRUN);
    }

    @Test
    void bytesAfterEndAreIgnoredNotScanned() throws Exception {
        byte[] packet = Arrays.copyOf(RequestBytes.of(DhcpMessageType.DISCOVER).build(), 300);
        packet[250] = 12;
        packet[251] = (byte) 200; // would overrun, but it is padding after END

        assertThat(codec.decode(packet).hostname()).isNull();
    }

    // ---- message type ----------------------------------------------------------------------------------------

    @Test
    void bootpRequestWithoutMessageType() {
        assertThat(reasonFor(RequestBytes.bare().build())).isEqualTo(DropReason.MISSING_MESSAGE_TYPE);
        assertThat(reasonFor(RequestBytes.bare().option(50, 192, 0, 2, 9).option(61, 1, 2, 0, 0x5e, 0, 0x53, 1)
                .build())).isEqualTo(DropReason.MISSING_MESSAGE_TYPE);
    }

    @Test
    void messageTypeOfTheWrongLength() {
        assertThat(reasonFor(RequestBytes.bare().option(53).build())).isEqualTo(DropReason.BAD_OPTION_VALUE);
        assertThat(reasonFor(RequestBytes.bare().option(53, 1, 1).build())).isEqualTo(DropReason.BAD_OPTION_VALUE);
    }

    @Test
    void messageTypeTwiceIsOneTwoByteValue() {
        // RFC 3396: repeated instances are one option, concatenated; a two-byte message type is invalid
        byte[] packet = RequestBytes.of(DhcpMessageType.DISCOVER).option(12, 'h').option(53, 3).build();

        assertThat(reasonFor(packet)).isEqualTo(DropReason.BAD_OPTION_VALUE);
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {0, 2, 5, 6, 9, 10, 11, 12, 13, 14, 18, 200, 255})
    void typesNoClientSendsAreUnknown(int type) {
        assertThat(reasonFor(RequestBytes.bare().option(53, type).build()))
                .isEqualTo(DropReason.UNKNOWN_MESSAGE_TYPE);
    }

    @Test
    void capturedRequestRelabelledAsOffer() {
        byte[] packet = Fixtures.load("dhcpcd-request-selecting");
        int[] type = Wire.instances(packet).stream().filter(o -> o[0] == 53).findFirst().orElseThrow();
        packet[type[1] + 2] = (byte) DhcpMessageType.OFFER.code();

        assertThat(reasonFor(packet)).isEqualTo(DropReason.UNKNOWN_MESSAGE_TYPE);
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {1, 3, 4, 7, 8})
    void everyClientTypeIsAccepted(int type) throws Exception {
        assertThat(codec.decode(RequestBytes.bare().option(53, type).build()).messageType().code()).isEqualTo(type);
    }

    // ---- options with a fixed length -----------------------------------------------------------------------

    @ParameterizedTest(name = "option {0} with {1} bytes")
    @MethodSource("badLengths")
    void fixedLengthOptionsOfTheWrongLength(int code, int length) {
        int[] value = IntStream.range(0, length).map(i -> 192).toArray();
        byte[] packet = RequestBytes.of(DhcpMessageType.REQUEST).option(code, value).build();

        assertThat(reasonFor(packet)).isEqualTo(DropReason.BAD_OPTION_VALUE);
    }

    static Stream<Arguments> badLengths() {
        return Stream.of(
                Arguments.of(50, 0), Arguments.of(50, 3), Arguments.of(50, 5), Arguments.of(50, 8),
                Arguments.of(54, 0), Arguments.of(54, 3), Arguments.of(54, 5),
                Arguments.of(57, 0), Arguments.of(57, 1), Arguments.of(57, 3), Arguments.of(57, 4),
                Arguments.of(51, 0), Arguments.of(51, 2), Arguments.of(51, 5),
                Arguments.of(61, 0), Arguments.of(61, 1)); // RFC 2132 §9.14: at least a type and one byte
    }

    @Test
    void fixedLengthOptionSplitInTwoIsJudgedWhole() throws Exception {
        // RFC 3396 lets any option be split; two 2-byte halves make a valid requested address
        DhcpRequest request = codec.decode(RequestBytes.of(DhcpMessageType.REQUEST)
                .option(50, 192, 0).option(12, 'x').option(50, 2, 9).build());

        assertThat(request.requestedAddress()).hasToString("192.0.2.9");
        assertThat(reasonFor(RequestBytes.of(DhcpMessageType.REQUEST).option(50, 192, 0, 2, 9).option(50, 1).build()))
                .isEqualTo(DropReason.BAD_OPTION_VALUE);
    }

    @Test
    void shortestClientIdentifierIsAccepted() throws Exception {
        assertThat(codec.decode(RequestBytes.of(DhcpMessageType.DISCOVER).option(61, 0, 'x').build())
                .clientIdentifier()).containsExactly(0, 'x');
    }

    @Test
    void echoesTooLongForAnyReplyAreRefused() throws Exception {
        // every reply must carry 61 and 82 back: 243 bytes of them leave a 548-byte reply 64 for its own options
        int[] clientId = IntStream.range(0, 181).map(i -> i == 0 ? 0 : 'c').toArray(); // 183 on the wire
        int[] relayInfo = IntStream.range(0, 58).map(i -> i == 0 ? 1 : i == 1 ? 56 : 'r').toArray(); // 60

        DhcpRequest longest = codec.decode(RequestBytes.of(DhcpMessageType.DISCOVER).giaddr("198.51.100.1")
                .option(61, clientId).option(82, relayInfo).build());
        assertThat(longest.clientIdentifier()).hasSize(181);

        int[] oneMore = IntStream.range(0, 59).map(i -> i == 0 ? 1 : i == 1 ? 57 : 'r').toArray();
        assertThat(reasonFor(RequestBytes.of(DhcpMessageType.DISCOVER).giaddr("198.51.100.1")
                .option(61, clientId).option(82, oneMore).build())).isEqualTo(DropReason.BAD_OPTION_VALUE);
    }

    @Test
    void relayInformationRepeatedUntilNoReplyCouldCarryItIsRefused() {
        // found by DecoderFuzzTest: 30 copies of a 12-byte option 82 are one 360-byte option (RFC 3396)
        RequestBytes packet = RequestBytes.of(DhcpMessageType.DISCOVER).giaddr("198.51.100.1");
        for (int i = 0; i < 30; i++) {
            packet.option(82, 1, 4, 'p', 'o', 'r', 't', 2, 2, 0, 1);
        }

        assertThat(reasonFor(packet.build())).isEqualTo(DropReason.BAD_OPTION_VALUE);
    }

    // ---- option 52 -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "overload {0}")
    @ValueSource(ints = {0, 4, 128, 255})
    void overloadValueOutsideOneToThree(int value) {
        assertThat(reasonFor(RequestBytes.of(DhcpMessageType.DISCOVER).option(52, value).build()))
                .isEqualTo(DropReason.BAD_OPTION_VALUE);
    }

    @Test
    void overloadOfTheWrongLength() {
        assertThat(reasonFor(RequestBytes.of(DhcpMessageType.DISCOVER).option(52, 1, 2).build()))
                .isEqualTo(DropReason.BAD_OPTION_VALUE);
        assertThat(reasonFor(RequestBytes.of(DhcpMessageType.DISCOVER).option(52).build()))
                .isEqualTo(DropReason.BAD_OPTION_VALUE);
    }

    @Test
    void overloadInsideAnOverloadedField() {
        byte[] packet = RequestBytes.of(DhcpMessageType.DISCOVER).option(52, 3).file(52, 1, 2, 255).build();

        assertThat(reasonFor(packet)).isEqualTo(DropReason.BAD_OPTION_VALUE);
    }

    @Test
    void fixedLengthCheckCoversOptionsFromOverloadedFields() {
        byte[] packet = RequestBytes.of(DhcpMessageType.REQUEST).option(52, 2).sname(54, 2, 192, 0, 255).build();

        assertThat(reasonFor(packet)).isEqualTo(DropReason.BAD_OPTION_VALUE);
    }
}
