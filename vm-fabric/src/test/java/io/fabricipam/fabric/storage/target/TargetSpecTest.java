package io.fabricipam.fabric.storage.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetSpecTest {

    private static final String IQN = "iqn.2024-01.io.fabricipam:vm-disk-1";
    private static final Portal PORTAL = Portal.parse("10.0.0.2:3260");

    @Test
    void ofParsesThePortalAndLeavesIqnsToDiscoveryAndNoAdmin() {
        TargetSpec spec = TargetSpec.of("remote", "10.0.0.2:3260", false);
        assertThat(spec.name()).isEqualTo("remote");
        assertThat(spec.portal()).isEqualTo(PORTAL);
        assertThat(spec.local()).isFalse();
        assertThat(spec.iqns()).isEmpty();
        assertThat(spec.admin()).isNull();
        assertThat(TargetSpec.of("local", "[::1]", true).portal()).isEqualTo(new Portal("::1", Portal.ISCSI_PORT));
    }

    @Test
    void needsANameAndAPortalWithAPort() {
        assertThatThrownBy(() -> new TargetSpec(null, PORTAL, true, List.of(), null))
                .isInstanceOf(InvalidTargetException.class).hasMessage("name: is required");
        assertThatThrownBy(() -> TargetSpec.of(" ", "10.0.0.2:3260", true))
                .isInstanceOf(InvalidTargetException.class).hasMessageStartingWith("name: must be 1-63 letters");
        assertThatThrownBy(() -> new TargetSpec("t", null, true, List.of(), null))
                .isInstanceOf(NullPointerException.class).hasMessage("portal");
        assertThatThrownBy(() -> TargetSpec.of("t", "10.0.0.2:0", true))
                .isInstanceOf(InvalidTargetException.class).hasMessage("portal: a target portal needs a port (1 to 65535)");
        assertThatThrownBy(() -> TargetSpec.of("t", "10.0.0.2:x", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a port (0 to 65535) in '10.0.0.2:x'");
    }

    @Test
    void keepsItsOwnUnmodifiableCopyOfTheIqns() {
        List<String> iqns = new ArrayList<>(List.of(IQN));
        TargetSpec spec = new TargetSpec("t", PORTAL, false, iqns, null);
        iqns.add("iqn.2024-01.io.fabricipam:other");
        assertThat(spec.iqns()).containsExactly(IQN);
        assertThatThrownBy(() -> spec.iqns().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new TargetSpec("t", PORTAL, false, null, null).iqns()).isEmpty();
    }

    @Test
    void aBlankAdminAddressMeansNone() {
        assertThat(new TargetSpec("t", PORTAL, false, List.of(), "  ").admin()).isNull();
        assertThat(new TargetSpec("t", PORTAL, false, List.of(), "  ")).isEqualTo(TargetSpec.of("t", "10.0.0.2:3260", false));
        assertThat(new TargetSpec("t", PORTAL, false, List.of(), "41").admin()).isEqualTo("41");
    }

    @Test
    void withersChangeOneComponent() {
        TargetSpec spec = TargetSpec.of("t", "10.0.0.2:3260", true);
        assertThat(spec.withAdmin("42")).isEqualTo(new TargetSpec("t", PORTAL, true, List.of(), "42"));
        assertThat(spec.withAdmin("42").withAdmin(null)).isEqualTo(spec);
        assertThat(spec.withAdmin("42").withIqns(List.of(IQN)))
                .isEqualTo(new TargetSpec("t", PORTAL, true, List.of(IQN), "42"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "..", "../x", "nul\u0000", "two\nlines", "cr\r", " lead", "-dash", ".dot", "a b",
            "\u00e9t\u00e9", "%2F"})
    void refusesNamesThatAScopeCouldNotHave(String name) {
        assertThatThrownBy(() -> new TargetSpec(name, PORTAL, true, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }

    @Test
    void refusesAHugeNameWithoutQuotingItWhole() {
        String huge = "a".repeat(1 << 20);
        assertThatThrownBy(() -> new TargetSpec(huge, PORTAL, true, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
        assertThatThrownBy(() -> new TargetSpec("a".repeat(64), PORTAL, true, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new TargetSpec("a".repeat(63), PORTAL, true, List.of(), null).name()).hasSize(63);
        assertThat(new TargetSpec("Local-1.a_b", PORTAL, true, List.of(), null).name()).isEqualTo("Local-1.a_b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"iqn.bad", "iqn.2026-13.example:x", "iqn.2026-11.example:has space", "disk1",
            "iqn.2026-11.example:nul\u0000", "iqn.2026-11.example:new\nline", "eui.0123", "naa.0123"})
    void refusesIqnsThatAreNotIscsiNames(String iqn) {
        assertThatThrownBy(() -> new TargetSpec("t", PORTAL, true, List.of(IQN, iqn), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iqns[1]");
    }

    @Test
    void namesEveryFieldAtFaultAtOnce() {
        assertThatThrownBy(() -> new TargetSpec("a/b", new Portal("h", 0), true, List.of("x"), "y"))
                .isInstanceOfSatisfying(InvalidTargetException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field).containsExactly("name", "portal", "iqns[0]", "admin"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= TargetRules.MAX_IQNS; i++) {
            many.add("iqn.2024-01.io.fabricipam:d" + i);
        }
        assertThatThrownBy(() -> new TargetSpec("t", PORTAL, true, many, null))
                .isInstanceOfSatisfying(InvalidTargetException.class, e -> assertThat(e.violations())
                        .containsExactly(new Violation("iqns", "at most 64 IQNs per target, not 65")));
        assertThat(new TargetSpec("t", PORTAL, true, many.subList(0, TargetRules.MAX_IQNS), null).iqns()).hasSize(64);
    }

    @Test
    void parseHostPortWantsAPortSpeltOut() {
        assertThat(Portal.parseHostPort("10.0.0.2:3260")).isEqualTo(PORTAL);
        assertThat(Portal.parseHostPort("[fe80::1]:3260")).isEqualTo(new Portal("fe80::1", 3260));
        assertThat(Portal.parseHostPort("storage-1.example.org:1")).isEqualTo(new Portal("storage-1.example.org", 1));
        for (String bad : List.of("10.0.0.2", "10.0.0.2:", "10.0.0.2:0", "10.0.0.2:65536", "10.0.0.2: 3260",
                " 10.0.0.2:3260", "10.0.0.2:3260\n", "[::1]", "[::1]3260", "::1:3260", "10.0.0.2:+1")) {
            assertThatThrownBy(() -> Portal.parseHostPort(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Portal.parseHostPort("x".repeat(1 << 20) + ":1"))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void acceptsAddressesAndHostNames() {
        for (String host : List.of("10.0.0.2", "0.0.0.0", "255.255.255.255", "localhost", "storage-1.example.org",
                "a", "::1", "::", "2001:db8::7", "::ffff:10.0.0.1", "xn--bcher-kva.example", "1host.example")) {
            assertThat(new Portal(host, 3260).host()).isEqualTo(host);
        }
        assertThat(new Portal("[::1]", 3260).host()).isEqualTo("::1");
    }

    @Test
    void refusesAnAdminThatIsNotAControlPort() {
        assertThatThrownBy(() -> new TargetSpec("t", PORTAL, true, List.of(), "abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("admin");
        assertThatThrownBy(() -> new TargetSpec("t", PORTAL, true, List.of(), "65536"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("admin");
        assertThatThrownBy(() -> new TargetSpec("t", PORTAL, true, List.of(), "1 --op delete"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("admin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "host/x", "bad_host", "nul\u0000", "new\nline", "999.1.1.1", "1.2.3", "3260", "",
            "-lead.example", "zz::1"})
    void refusesPortalHostsThatAreNeitherAddressesNorHostNames(String host) {
        assertThatThrownBy(() -> new Portal(host, 3260)).isInstanceOf(IllegalArgumentException.class);
    }
}
