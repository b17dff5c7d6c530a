package io.fabricipam.ovs.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.ovs.frame.MacAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowTextTest {

    @Test
    void rendersTableTimeoutsAndOutputsInOvsOrder() {
        FlowSpec flow = FlowSpec.of(3, 100, 0x1L,
                        FlowMatch.ALL.withInPort(7).withVlan(VlanMatch.tagged(10)).withEthSrc(MacAddress.parse("02:00:00:00:00:01"))
                                .withUdp(68, 67),
                        List.of(new FlowAction.Output(5), new FlowAction.Controller(128)))
                .withTimeouts(5, 20);

        // the same text ovs-ofctl printed for this flow on OVS 3.1 (see DEPENDENCIES/LAB notes)
        assertThat(FlowText.render(flow)).isEqualTo("cookie=0x1, table=3, idle_timeout=5, hard_timeout=20, "
                + "priority=100,udp,in_port=7,dl_vlan=10,dl_src=02:00:00:00:00:01,tp_src=68,tp_dst=67 actions=output:5,CONTROLLER:128");
    }

    @Test
    void anEmptyActionListIsDropAndAMatchAllHasNoFields() {
        assertThat(FlowText.render(FlowSpec.of(0, 0, 0xabL, FlowMatch.ALL, List.of())))
                .isEqualTo("cookie=0xab, priority=0 actions=drop");
        assertThat(FlowText.render(FlowSpec.of(0, 1, 0, FlowMatch.ALL.withInPort(1), List.of())))
                .isEqualTo("cookie=0x0, priority=1,in_port=1 actions=drop");
    }

    @Test
    void refusesMatchesOpenFlowWouldRefuse() {
        assertThatThrownBy(() -> new FlowMatch(FlowMatch.ANY_PORT, VlanMatch.ANY, FlowProtocol.IPV4, null, 68, -1, -1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prerequisites");
        assertThatThrownBy(() -> FlowMatch.ALL.withInPort(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlowCookie(0x1, 0x0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlowCookie(0xff, 0xff)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCookieMarksOwnershipByMaskOnly() {
        FlowCookie cookie = FlowCookie.DEFAULT;
        assertThat(cookie.owns(cookie.forPurpose(FlowCookie.PUNT))).isTrue();
        assertThat(cookie.owns(0xfab1dd0000000002L)).isFalse();
        assertThat(cookie.owns(0x1234L)).isFalse();
    }
}
