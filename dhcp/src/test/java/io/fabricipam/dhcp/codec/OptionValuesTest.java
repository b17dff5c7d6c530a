package io.fabricipam.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.StaticRoute;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OptionValuesTest {

    @Nested
    class DomainSearch {

        @Test
        void namesInRfc1035WireFormatOneAfterAnother() {
            // RFC 3397 §3's example names, without the compression it allows
            byte[] expected = concat(
                    new byte[] {3}, ascii("eng"), new byte[] {5}, ascii("apple"), new byte[] {3}, ascii("com"),
                    new byte[] {0},
                    new byte[] {9}, ascii("marketing"), new byte[] {5}, ascii("apple"), new byte[] {3}, ascii("com"),
                    new byte[] {0});

            assertThat(OptionValues.domainSearch(List.of("eng.apple.com", "marketing.apple.com"))).isEqualTo(expected);
        }

        @Test
        void trailingDotIsTheSameName() {
            assertThat(OptionValues.domainSearch(List.of("fxc.example.")))
                    .isEqualTo(OptionValues.domainSearch(List.of("fxc.example")))
                    .containsExactly(3, 'f', 'x', 'c', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0);
        }

        @Test
        void noNamesNoBytes() {
            assertThat(OptionValues.domainSearch(List.of())).isEmpty();
        }

        @Test
        void labelsOfUpTo63Octets() {
            String longest = "a".repeat(63);

            assertThat(OptionValues.domainSearch(List.of(longest + ".example"))).hasSize(1 + 63 + 1 + 7 + 1);
            assertThatThrownBy(() -> OptionValues.domainSearch(List.of("a".repeat(64) + ".example")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
        }

        @Test
        void namesOfUpTo255Octets() {
            // RFC 1035 §2.3.4: at most 255 octets on the wire, length bytes and the root label included
            String label = "b".repeat(62); // 63 octets with its length byte
            String longest = String.join(".", label, label, label, label, "d"); // 4 * 63 + 2 + 1
            assertThat(OptionValues.domainSearch(List.of(longest))).hasSize(255);

            String tooLong = longest + "d";
            assertThatThrownBy(() -> OptionValues.domainSearch(List.of(tooLong)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"", ".", "a..b", ".example", "example..", "fxc.example..",
            "caf\u00e9.example", "tab\there.example"})
        void badNamesAreRefused(String name) {
            assertThatThrownBy(() -> OptionValues.domainSearch(List.of("ok.example", name)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ClasslessRoutes {

        private final Ipv4Address router = Ipv4Address.parse("10.0.0.1");

        /** RFC 3442 §2's table of destination descriptors, each followed by the router. */
        static Stream<Arguments> rfc3442Examples() {
            return Stream.of(
                    Arguments.of("0.0.0.0/0", new int[] {0}),
                    Arguments.of("10.0.0.0/8", new int[] {8, 10}),
                    Arguments.of("10.0.0.0/24", new int[] {24, 10, 0, 0}),
                    Arguments.of("10.17.0.0/16", new int[] {16, 10, 17}),
                    Arguments.of("10.27.129.0/24", new int[] {24, 10, 27, 129}),
                    Arguments.of("10.229.0.128/25", new int[] {25, 10, 229, 0, 128}),
                    Arguments.of("10.198.122.47/32", new int[] {32, 10, 198, 122, 47}));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("rfc3442Examples")
        void destinationDescriptorThenRouter(String network, int[] descriptor) {
            byte[] bytes = OptionValues.classlessRoutes(List.of(new StaticRoute(Ipv4Network.parse(network), router)));

            int[] expected = new int[descriptor.length + 4];
            System.arraycopy(descriptor, 0, expected, 0, descriptor.length);
            System.arraycopy(new int[] {10, 0, 0, 1}, 0, expected, descriptor.length, 4);
            assertThat(bytes).containsExactly(expected);
        }

        @Test
        void routesFollowOneAnotherInOrder() {
            byte[] bytes = OptionValues.classlessRoutes(List.of(
                    new StaticRoute(Ipv4Network.parse("10.229.0.128/25"), Ipv4Address.parse("10.0.0.2")),
                    new StaticRoute(Ipv4Network.parse("0.0.0.0/0"), router)));

            assertThat(bytes).containsExactly(25, 10, 229, 0, 128, 10, 0, 0, 2, 0, 10, 0, 0, 1);
        }

        @Test
        void noRoutesNoBytes() {
            assertThat(OptionValues.classlessRoutes(List.of())).isEmpty();
        }
    }

    @Nested
    class Hex {

        @Test
        void separatorsAndCaseDoNotMatter() {
            assertThat(OptionValues.hex("01:02:0a:FF")).containsExactly(1, 2, 10, 255);
            assertThat(OptionValues.hex("0102 0A-ff")).containsExactly(1, 2, 10, 255);
            assertThat(OptionValues.hex("deadBEEF")).containsExactly(0xde, 0xad, 0xbe, 0xef);
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"", " ", "::", "1", "012", "0g", "0x01", "01;02", "\u0661\u0662", "\uff10\uff11"})
        void refusesWhatIsNotAnEvenRunOfHexDigits(String text) {
            assertThatThrownBy(() -> OptionValues.hex(text)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Ascii {

        @Test
        void printableAsciiAsIs() {
            assertThat(OptionValues.ascii("pxelinux.0 ~!")).isEqualTo(ascii("pxelinux.0 ~!"));
            assertThat(OptionValues.ascii("")).isEmpty();
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"tab\t", "line\n", "nul\u0000", "del\u007f", "caf\u00e9", "\u2603"})
        void refusesControlAndNonAsciiCharacters(String text) {
            assertThatThrownBy(() -> OptionValues.ascii(text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("printable ASCII");
        }
    }

    @Nested
    class Numbers {

        @Test
        void networkByteOrder() {
            assertThat(OptionValues.uint16(1500)).containsExactly(0x05, 0xdc);
            assertThat(OptionValues.uint16(0xffff)).containsExactly(0xff, 0xff);
            assertThat(OptionValues.uint32(120)).containsExactly(0, 0, 0, 120);
            assertThat(OptionValues.uint32(86_400)).containsExactly(0, 1, 0x51, 0x80);
            assertThat(OptionValues.uint32(0xffff_ffffL)).containsExactly(0xff, 0xff, 0xff, 0xff);
        }

        @Test
        void valuesThatDoNotFitAreRefusedNotWrapped() {
            // wrapped, 2^32 seconds would go out as a lease time of 0
            assertThatThrownBy(() -> OptionValues.uint32(1L << 32)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> OptionValues.uint32(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> OptionValues.uint16(0x10000)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> OptionValues.uint16(-1)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void unsignedParsesWithinItsBound() {
            assertThat(OptionValues.unsigned("42", 255)).isEqualTo(42);
            assertThat(OptionValues.unsigned(" 255 ", 255)).isEqualTo(255);
            assertThat(OptionValues.unsigned("4294967295", 0xffff_ffffL)).isEqualTo(0xffff_ffffL);
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"256", "-1", "", "twelve", "1.5", "0x10", "99999999999999999999"})
        void unsignedRefusesTheRest(String text) {
            assertThatThrownBy(() -> OptionValues.unsigned(text, 255)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void booleansInTheUsualSpellings() {
            for (String yes : List.of("true", "TRUE", "1", "yes", "on", " on ")) {
                assertThat(OptionValues.bool(yes)).as(yes).isTrue();
            }
            for (String no : List.of("false", "0", "no", "off", "Off")) {
                assertThat(OptionValues.bool(no)).as(no).isFalse();
            }
            assertThatThrownBy(() -> OptionValues.bool("maybe")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void addressesBackToBack() {
        assertThat(OptionValues.addresses(List.of(Ipv4Address.parse("192.0.2.53"), Ipv4Address.parse("198.51.100.53"))))
                .containsExactly(192, 0, 2, 53, 198, 51, 100, 53);
        assertThat(OptionValues.addresses(List.of())).isEmpty();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
