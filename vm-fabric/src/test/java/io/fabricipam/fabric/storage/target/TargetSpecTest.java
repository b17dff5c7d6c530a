package io.fabricipam.fabric.storage.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a target needs a name");
        assertThatThrownBy(() -> TargetSpec.of(" ", "10.0.0.2:3260", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a target needs a name");
        assertThatThrownBy(() -> new TargetSpec("t", null, true, List.of(), null))
                .isInstanceOf(NullPointerException.class).hasMessage("portal");
        assertThatThrownBy(() -> TargetSpec.of("t", "10.0.0.2:0", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a target portal needs a port");
        assertThatThrownBy(() -> TargetSpec.of("t", "10.0.0.2:x", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a port in 10.0.0.2:x");
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
}
