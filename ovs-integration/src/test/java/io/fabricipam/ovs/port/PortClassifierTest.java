package io.fabricipam.ovs.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortClassifierTest {

    private final PortClassifier classifier = new PortClassifier(Set.of("eth0", "bond0"), Set.of("tun-a"));

    @Test
    void interfaceTypesNameTunnelsUplinksAndTheLocalPort() {
        for (String type : new String[] {"vxlan", "geneve", "gre", "stt", "erspan"}) {
            assertThat(classifier.classify("x", type, Map.of(), Map.of())).as(type).isEqualTo(PortRole.TUNNEL);
        }
        assertThat(classifier.classify("x", "patch", Map.of(), Map.of())).isEqualTo(PortRole.UPLINK);
        assertThat(classifier.classify("x", "dpdk", Map.of(), Map.of())).isEqualTo(PortRole.UPLINK);
        assertThat(classifier.classify("x", "internal", Map.of(), Map.of())).isEqualTo(PortRole.LOCAL);
        assertThat(classifier.classify("vnet0", "", Map.of(), Map.of())).isEqualTo(PortRole.GUEST);
        assertThat(classifier.classify("vhu1", "dpdkvhostuserclient", Map.of(), Map.of())).isEqualTo(PortRole.GUEST);
    }

    @Test
    void configuredNamesBeatTheType() {
        assertThat(classifier.classify("eth0", "", Map.of(), Map.of())).isEqualTo(PortRole.UPLINK);
        assertThat(classifier.classify("tun-a", "", Map.of(), Map.of())).isEqualTo(PortRole.TUNNEL);
    }

    @Test
    void externalIdsBeatEverythingInterfaceFirst() {
        assertThat(classifier.classify("eth0", "", Map.of("fabric-role", "guest"), Map.of())).isEqualTo(PortRole.GUEST);
        assertThat(classifier.classify("vnet0", "", Map.of(), Map.of("fabric-role", "Uplink"))).isEqualTo(PortRole.UPLINK);
        assertThat(classifier.classify("vnet0", "", Map.of("fabric-role", "tunnel"), Map.of("fabric-role", "uplink")))
                .isEqualTo(PortRole.TUNNEL);
        assertThat(classifier.classify("vnet0", "", Map.of("fabric-role", "nonsense"), Map.of())).isEqualTo(PortRole.GUEST);
    }

    @Test
    void aPortOvsdbDoesNotKnowIsNoGuestUnlessNamed() {
        assertThat(classifier.classifyUnknown("vnet7")).isEqualTo(PortRole.UNKNOWN);
        assertThat(classifier.classifyUnknown("bond0")).isEqualTo(PortRole.UPLINK);
    }

    @Test
    void taggedVlansFollowOvsRules() {
        assertThat(TaggedVlans.forOvsPort(10, Set.of(20))).isEqualTo(TaggedVlans.NONE);
        assertThat(TaggedVlans.forOvsPort(0, Set.of())).isEqualTo(TaggedVlans.ALL);
        assertThat(TaggedVlans.forOvsPort(0, Set.of(20)).carries(20)).isTrue();
        assertThat(TaggedVlans.forOvsPort(0, Set.of(20)).carries(30)).isFalse();
        assertThat(TaggedVlans.ALL.carries(0)).as("VLAN 0 is the untagged network, never a tag").isFalse();
    }
}
