package io.fabricipam.ovs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.ovs.flow.FlowCookie;
import io.fabricipam.ovs.flow.FlowDiff;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.port.PortRole;
import io.fabricipam.ovs.port.TaggedVlans;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Golden text for the multi-host pipeline: a follower forwarding to the leader, the leader, and edge cases. */
class TunnelFlowsTest {

    private static final PuntPolicy POLICY = PuntPolicy.DEFAULT;
    private static final int VXLAN = 10;
    private static final Set<Integer> MANAGED = Set.of(0, 10, 20);

    private static final List<BridgePort> PORTS = List.of(
            BridgePort.guest(1, "vm-a", 0).withMeter(1),
            BridgePort.guest(2, "vm-b", 10).withAttachedMac(MacAddress.parse("02:00:00:00:00:02")),
            BridgePort.guest(3, "vm-trunk", 0).withTagged(TaggedVlans.of(Set.of(20))),
            BridgePort.infrastructure(VXLAN, "vxlan-fabric", PortRole.TUNNEL),
            BridgePort.infrastructure(11, "eth1", PortRole.UPLINK));

    @Test
    void aFollowerSendsGuestDhcpToTheLeaderAndDeliversEachReplyToTheOnePortThatAsked() throws Exception {
        Pipeline pipeline = TunnelFlows.build(PORTS, MANAGED, servers(), POLICY, LeaderRoute.remote(VXLAN, ip("10.99.0.1")));

        // keys: VLAN << 12 | port  (port 1 untagged: 0x1; port 2 access VLAN 10: 0xa002; port 3 untagged 0x3, VLAN 20 0x14003)
        assertThat(pipeline.text()).isEqualTo("""
                meter=1 pktps burst stats bands=type=drop rate=100 burst_size=50
                cookie=0xfab1dc0000000005, priority=310,arp,in_port=2,vlan_tci=0x0000/0x1fff,arp_tpa=10.0.10.1,arp_op=1 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000006, priority=300,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:1,set_field:10.99.0.1->tun_dst,set_field:0x1->tun_id,output:10
                cookie=0xfab1dc0000000006, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,dl_src=02:00:00:00:00:02,tp_src=68,tp_dst=67 actions=set_field:10.99.0.1->tun_dst,set_field:0xa002->tun_id,output:10
                cookie=0xfab1dc0000000006, priority=300,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=set_field:10.99.0.1->tun_dst,set_field:0x3->tun_id,output:10
                cookie=0xfab1dc0000000006, priority=300,udp,in_port=3,dl_vlan=20,tp_src=68,tp_dst=67 actions=set_field:10.99.0.1->tun_dst,set_field:0x14003->tun_id,output:10
                cookie=0xfab1dc0000000008, priority=300,udp,tun_id=0x1,tun_src=10.99.0.1,in_port=10,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=output:1
                cookie=0xfab1dc0000000008, priority=300,udp,tun_id=0x3,tun_src=10.99.0.1,in_port=10,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=output:3
                cookie=0xfab1dc0000000008, priority=300,udp,tun_id=0xa002,tun_src=10.99.0.1,in_port=10,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=output:2
                cookie=0xfab1dc0000000008, priority=300,udp,tun_id=0x14003,tun_src=10.99.0.1,in_port=10,dl_vlan=20,tp_src=67,tp_dst=68 actions=output:3
                cookie=0xfab1dc0000000003, priority=290,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=3,dl_vlan=20,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000009, priority=270,udp,in_port=10,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000009, priority=270,udp,in_port=10,tp_src=68,tp_dst=67 actions=drop
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL""");
        assertThat(pipeline.refusals()).isEmpty();
    }

    @Test
    void theLeaderPuntsItsOwnGuestsAsOnOneHostAndOtherHostsGuestsFromTheTunnelPort() throws Exception {
        Pipeline leader = TunnelFlows.build(PORTS, MANAGED, servers(), POLICY, LeaderRoute.local(VXLAN));
        String single = PuntFlows.build(PORTS, MANAGED, servers(), POLICY).text();

        assertThat(lines(leader.text())).containsExactlyInAnyOrderElementsOf(lines(single + """

                cookie=0xfab1dc0000000007, priority=300,udp,in_port=10,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000009, priority=270,udp,in_port=10,tp_src=67,tp_dst=68 actions=drop"""));
        assertThat(leader.text()).doesNotContain("tun_dst", "tun_id", "tun_src");
    }

    @Test
    void aSmallLeaderPipelineInFull() {
        Pipeline leader = TunnelFlows.build(List.of(BridgePort.guest(2, "vm", 0),
                BridgePort.infrastructure(7, "vxlan-fabric", PortRole.TUNNEL)), Set.of(0), ServerAddresses.NONE, POLICY,
                LeaderRoute.local(7));

        assertThat(leader.text()).isEqualTo("""
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000007, priority=300,udp,in_port=7,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000009, priority=270,udp,in_port=7,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL""");
    }

    @Test
    void aLeaderWithoutTunnelPortIsExactlyTheSingleHostPipeline() throws Exception {
        assertThat(TunnelFlows.build(PORTS, MANAGED, servers(), POLICY, LeaderRoute.local(LeaderRoute.NO_TUNNEL_PORT)))
                .isEqualTo(PuntFlows.build(PORTS, MANAGED, servers(), POLICY));
    }

    @Test
    void aNewLeaderChangesOnlyTheTunnelAddresses() throws Exception {
        String before = TunnelFlows.build(PORTS, MANAGED, servers(), POLICY, LeaderRoute.remote(VXLAN, ip("10.99.0.1"))).text();
        String after = TunnelFlows.build(PORTS, MANAGED, servers(), POLICY, LeaderRoute.remote(VXLAN, ip("10.99.0.3"))).text();

        assertThat(after).isEqualTo(before.replace("10.99.0.1->tun_dst", "10.99.0.3->tun_dst")
                .replace("tun_src=10.99.0.1", "tun_src=10.99.0.3"));
    }

    @Test
    void reHomingToANewLeaderRewritesOnlyTheForwardsAndTheDeliveries() throws Exception {
        Pipeline before = TunnelFlows.build(PORTS, MANAGED, servers(), POLICY, LeaderRoute.remote(VXLAN, ip("10.99.0.1")));
        Pipeline after = TunnelFlows.build(PORTS, MANAGED, servers(), POLICY, LeaderRoute.remote(VXLAN, ip("10.99.0.3")));

        FlowDiff diff = FlowDiff.between(before.flows(), after.flows());

        // forwards keep their match and are replaced in place (no gap); deliveries match tun_src, so they change key
        assertThat(diff.toAdd()).extracting(f -> f.cookie() & 0xff).containsOnly((long) FlowCookie.TO_LEADER, (long) FlowCookie.REPLY_TO_GUEST)
                .hasSize(8);
        assertThat(diff.toDelete()).hasSize(4).allMatch(f -> (f.cookie() & 0xff) == FlowCookie.REPLY_TO_GUEST);
    }

    @Test
    void aFollowerWithoutTunnelPortDropsGuestDhcpInsteadOfAnsweringIt() throws Exception {
        Pipeline pipeline = TunnelFlows.build(List.of(BridgePort.guest(2, "vm", 0)), Set.of(0), ServerAddresses.NONE, POLICY,
                LeaderRoute.remote(LeaderRoute.NO_TUNNEL_PORT, ip("10.99.0.1")));

        assertThat(pipeline.text()).isEqualTo("""
                cookie=0xfab1dc0000000006, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL""");
        assertThat(pipeline.refusals()).containsExactly(
                "(tunnel): no VXLAN port on this bridge; guest DHCP is dropped until there is one");
    }

    @Test
    void aGuestPortBeyondTheKeyIsRefusedOnAFollowerButServedByTheLeader() throws Exception {
        List<BridgePort> ports = List.of(BridgePort.guest(5000, "vm-far", 0), BridgePort.guest(4095, "vm-last", 0),
                BridgePort.guest(6000, "vm-unmanaged", 33));

        Pipeline follower = TunnelFlows.build(ports, Set.of(0), ServerAddresses.NONE, POLICY, LeaderRoute.remote(VXLAN, ip("10.99.0.1")));
        Pipeline leader = TunnelFlows.build(ports, Set.of(0), ServerAddresses.NONE, POLICY, LeaderRoute.local(VXLAN));

        assertThat(follower.refusals()).containsExactly(
                "vm-far: ofport 5000 does not fit the tunnel key (at most 4095); its DHCP cannot reach the leader");
        assertThat(follower.flows()).noneMatch(f -> f.match().inPort() == 5000);
        assertThat(follower.text()).contains("set_field:0xfff->tun_id,output:10").contains("tun_id=0xfff,");
        assertThat(leader.refusals()).isEmpty();
        assertThat(leader.flows()).anyMatch(f -> f.match().inPort() == 5000);
    }

    @Test
    void theCookieMarksEveryTunnelFlowAsOurs() throws Exception {
        PuntPolicy other = new PuntPolicy(new FlowCookie(0x1234_0000_0000_0000L, 0xffff_0000_0000_0000L), 2, 100, 50);

        Pipeline pipeline = TunnelFlows.build(PORTS, MANAGED, servers(), other, LeaderRoute.remote(VXLAN, ip("10.99.0.1")));

        assertThat(pipeline.flows()).allMatch(f -> other.cookie().owns(f.cookie()) && f.table() == 2);
    }

    private static ServerAddresses servers() throws Exception {
        return new ServerAddresses(Map.of(10, Map.of(ip("10.0.10.1"), MacAddress.parse("02:fa:b1:dc:00:01"))));
    }

    private static Inet4Address ip(String text) throws Exception {
        return (Inet4Address) InetAddress.getByName(text);
    }

    private static List<String> lines(String text) {
        return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).toList();
    }
}
