package io.fabricipam.dhcp.server;

import static io.fabricipam.dhcp.codec.DhcpOptionCode.BOOTFILE_NAME;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.BROADCAST_ADDRESS;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.CLASSLESS_STATIC_ROUTE;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.DNS_SERVERS;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.DOMAIN_NAME;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.DOMAIN_SEARCH;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.INTERFACE_MTU;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.NTP_SERVERS;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.ROUTER;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.SUBNET_MASK;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.TFTP_SERVER_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.CustomOption;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeOptions;
import io.fabricipam.dhcp.scope.ScopeValidator;
import io.fabricipam.dhcp.scope.StaticRoute;
import io.fabricipam.dhcp.scope.Violation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The validator accepts exactly what the encoder accepts: random option sets built from hostile and valid
 * text, server lists, MTUs, routes and custom options of every type go through both, and a scope the
 * validator accepts always encodes, while one it refuses for an option always fails to encode, and the
 * other way round.
 */
class ScopeOptionSetTest {

    private static final String[] TEXT = {"pxelinux.0", "lab.example", "tftp.lab.example", "10.20.0.5", "a", "",
        " ", "pxelinux-\u00e9.0", "pxe\u0000linux.0", "tab\there", "line\nbreak", "del\u007f", "\u00a0", "~!@#$%^&*()",
        "a".repeat(255), "a".repeat(256), "b\u00fccher.example", "-lead.example", "trail-.example", "a..b",
        "x".repeat(63) + ".example", "x".repeat(64) + ".example", ("abcdefghi.").repeat(25) + "abc", "under_score.example",
        "trailing.dot.", "UPPER.Example", "\ud83d\ude00", "caf\u00e9"};

    /** Values per custom type: some valid, some not (those fail when the option is built, as the API sees). */
    private static final Map<CustomOption.Type, String[]> CUSTOM = new EnumMap<>(Map.of(
            CustomOption.Type.STRING, new String[] {"http://wpad/wpad.dat", "x", "caf\u00e9", "nul\u0000", ""},
            CustomOption.Type.HEX, new String[] {"01:02:ff", "0102", "abc", "zz", ""},
            CustomOption.Type.IP, new String[] {"10.0.0.1", " 10.0.0.2 ", "10.0.0.256", "host"},
            CustomOption.Type.IP_LIST, new String[] {"10.0.0.1,10.0.0.2", "10.0.0.1 10.0.0.2", "10.0.0.1,x", ""},
            CustomOption.Type.UINT8, new String[] {"0", "255", "256", "-1", "a"},
            CustomOption.Type.UINT16, new String[] {"0", "65535", "65536", "1.5"},
            CustomOption.Type.UINT32, new String[] {"0", "4294967295", "4294967296", " 7 "},
            CustomOption.Type.BOOLEAN, new String[] {"true", "off", "1", "maybe"}));

    private static final int[] CUSTOM_CODES = {128, 129, 150, 224, 252, 254};

    @Test
    void theValidatorAndTheEncoderAgreeOnRandomOptions() {
        SplittableRandom random = new SplittableRandom(2026);
        int accepted = 0;
        int refused = 0;
        for (int round = 0; round < 5000; round++) {
            Scope scope = scope(randomOptions(random));
            List<Violation> optionViolations = ScopeValidator.validate(scope).stream()
                    .filter(v -> v.field().startsWith("options.")).toList();
            Throwable failure = null;
            try {
                ScopeOptionSet.of(scope);
            } catch (IllegalArgumentException e) {
                failure = e;
            }
            if (optionViolations.isEmpty()) {
                assertThat(failure).as("accepted by the validator: %s", scope.options()).isNull();
                assertThat(ScopeValidator.validate(scope)).isEmpty();
                accepted++;
            } else {
                assertThat(failure).as("refused by the validator (%s): %s", optionViolations, scope.options()).isNotNull();
                assertThat(failure.getMessage()).contains(optionViolations.get(0).field());
                refused++;
            }
        }
        assertThat(accepted).as("both outcomes are exercised").isGreaterThan(500);
        assertThat(refused).isGreaterThan(500);
    }

    @Test
    void everyCustomTypeThatCanBeBuiltEncodes() {
        for (Map.Entry<CustomOption.Type, String[]> e : CUSTOM.entrySet()) {
            for (String value : e.getValue()) {
                CustomOption option;
                try {
                    option = new CustomOption(224, e.getKey(), value);
                } catch (IllegalArgumentException refusedAtOnce) {
                    continue; // the API turns this into a violation of options.custom[i]
                }
                Scope scope = scope(new ScopeOptions(null, null, null, null, null, null, null, null, List.of(option)));
                assertThat(ScopeValidator.validate(scope)).as("%s %s", e.getKey(), value).isEmpty();
                assertThat(ScopeOptionSet.of(scope).get(224)).isEqualTo(option.encoded());
            }
        }
    }

    @Test
    void theDefaultOrderIsKept() {
        Scope scope = scope(new ScopeOptions(List.of(Ipv4Address.parse("10.20.0.53")), "lab.example", List.of("lab.example"),
                List.of(Ipv4Address.parse("10.20.0.123")), 1450,
                List.of(new StaticRoute(Ipv4Network.parse("10.30.0.0/16"), Ipv4Address.parse("10.20.0.254"))),
                "10.20.0.5", "pxelinux.0", List.of(new CustomOption(252, CustomOption.Type.STRING, "http://wpad/wpad.dat"))));
        List<Integer> codes = new ArrayList<>();
        ScopeOptionSet.of(scope).codes().forEach(codes::add);
        assertThat(codes).containsExactly(SUBNET_MASK, ROUTER, DNS_SERVERS, DOMAIN_NAME, INTERFACE_MTU, BROADCAST_ADDRESS,
                NTP_SERVERS, TFTP_SERVER_NAME, BOOTFILE_NAME, DOMAIN_SEARCH, CLASSLESS_STATIC_ROUTE, 252);
        assertThat(ScopeOptionSet.of(scope).nextServer()).isEqualTo(Ipv4Address.parse("10.20.0.5"));
    }

    @Test
    void aBootFileTheEncoderRefusesNamesItsField() {
        Scope scope = scope(new ScopeOptions(null, null, null, null, null, null, null, "pxelinux-\u00e9.0", null));
        assertThatThrownBy(() -> ScopeOptionSet.of(scope)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("options.bootFile");
    }

    private static Scope scope(ScopeOptions options) {
        return new Scope(UUID.randomUUID(), "lab", Ipv4Network.parse("10.20.0.0/24"), Ipv4Address.parse("10.20.0.1"), 0,
                List.of(), List.of(), 3600, null, null, options, null, null, 0);
    }

    private static ScopeOptions randomOptions(SplittableRandom r) {
        List<String> search = null;
        if (r.nextInt(3) == 0) {
            search = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                search.add(text(r));
            }
        }
        List<StaticRoute> routes = r.nextInt(4) == 0 ? List.of(new StaticRoute(Ipv4Network.parse("0.0.0.0/0"),
                Ipv4Address.parse("10.20.0.254")), new StaticRoute(Ipv4Network.parse("10.30.0.0/16"), Ipv4Address.parse("10.20.0.2")))
                : null;
        Integer[] mtus = {null, null, 67, 68, 1450, 65535, 65536, -1};
        return new ScopeOptions(servers(r), r.nextInt(3) == 0 ? text(r) : null, search, servers(r), mtus[r.nextInt(mtus.length)],
                routes, r.nextInt(3) == 0 ? text(r) : null, r.nextInt(3) == 0 ? text(r) : null, custom(r));
    }

    private static String text(SplittableRandom r) {
        return TEXT[r.nextInt(TEXT.length)];
    }

    private static List<Ipv4Address> servers(SplittableRandom r) {
        int n = r.nextInt(8) == 0 ? 17 : r.nextInt(3);
        List<Ipv4Address> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Ipv4Address.parse("10.20.0.10").plus(i));
        }
        return out;
    }

    private static List<CustomOption> custom(SplittableRandom r) {
        List<CustomOption> out = new ArrayList<>();
        CustomOption.Type[] types = CustomOption.Type.values();
        for (int i = r.nextInt(4); i > 0; i--) {
            CustomOption.Type type = types[r.nextInt(types.length)];
            String[] values = CUSTOM.get(type);
            try {
                out.add(new CustomOption(CUSTOM_CODES[r.nextInt(CUSTOM_CODES.length)], type, values[r.nextInt(values.length)]));
            } catch (IllegalArgumentException refused) {
                // not buildable: the API reports it as options.custom[i] before a Scope exists
            }
        }
        return out;
    }
}
