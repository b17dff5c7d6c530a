package io.fabricipam.ovs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.ovs.flow.FlowCookie;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.port.PortRole;
import io.fabricipam.ovs.port.TaggedVlans;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Golden text for the pipeline of several bridge shapes. */
class PuntFlowsTest {

    private static final PuntPolicy POLICY = PuntPolicy.DEFAULT;

    @Test
    void aBridgeWithoutGuestsOnlySwitchesNormally() {
        List<BridgePort> ports = List.of(
                BridgePort.infrastructure(1, "eth0", PortRole.UPLINK),
                BridgePort.infrastructure(2, "vxlan0", PortRole.TUNNEL),
                BridgePort.infrastructure(3, "br0", PortRole.LOCAL));

        assertThat(PuntFlows.build(ports, Set.of(0), POLICY).text()).isEqualTo("""
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL""");
    }

    @Test
    void arpForAServerAddressIsPuntedOnTheManagedNetworksThatHaveIt() throws Exception {
        List<BridgePort> ports = List.of(
                BridgePort.infrastructure(1, "eth0", PortRole.UPLINK),
                BridgePort.guest(2, "vm-untagged", 0).withMeter(2),
                BridgePort.guest(3, "vm-blue", 10),
                BridgePort.guest(4, "vm-twenty", 20));
        MacAddress mac = MacAddress.parse("02:fa:b1:dc:00:01");
        ServerAddresses servers = new ServerAddresses(Map.of(
                0, Map.of((Inet4Address) InetAddress.getByName("10.0.0.2"), mac),
                10, Map.of((Inet4Address) InetAddress.getByName("10.0.10.3"), mac,
                        (Inet4Address) InetAddress.getByName("10.0.10.2"), mac),
                20, Map.of((Inet4Address) InetAddress.getByName("10.0.20.2"), mac)));

        // VLAN 20 has a server address but is not managed: no flow there; uplinks never get one
        assertThat(PuntFlows.build(ports, Set.of(0, 10), servers, POLICY).text()).isEqualTo("""
                meter=2 pktps burst stats bands=type=drop rate=100 burst_size=50
                cookie=0xfab1dc0000000005, priority=310,arp,in_port=2,vlan_tci=0x0000/0x1fff,arp_tpa=10.0.0.2,arp_op=1 actions=meter:2,CONTROLLER:65535
                cookie=0xfab1dc0000000005, priority=310,arp,in_port=3,vlan_tci=0x0000/0x1fff,arp_tpa=10.0.10.2,arp_op=1 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000005, priority=310,arp,in_port=3,vlan_tci=0x0000/0x1fff,arp_tpa=10.0.10.3,arp_op=1 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:2,CONTROLLER:65535
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL""");
    }

    @Test
    void untaggedGuestsOnAManagedNetwork() {
        List<BridgePort> ports = List.of(
                BridgePort.infrastructure(1, "eth0", PortRole.UPLINK),
                BridgePort.guest(3, "vm2", 0),
                BridgePort.guest(2, "vm1", 0));

        assertThat(PuntFlows.build(ports, Set.of(0), POLICY).text()).isEqualTo("""
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL""");
    }

    @Test
    void onlyPortsOnManagedVlansAreIntercepted() {
        List<BridgePort> ports = List.of(
                BridgePort.guest(10, "vm-a", 10),
                BridgePort.guest(20, "vm-b", 20),
                BridgePort.guest(30, "vm-c", 0));

        assertThat(PuntFlows.build(ports, Set.of(10), POLICY).text()).isEqualTo("""
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=10,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=10,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL""");
    }

    @Test
    void metersAndPinnedMacs() {
        List<BridgePort> ports = List.of(
                BridgePort.guest(4, "vm-pinned", 100).withAttachedMac(MacAddress.parse("02:00:00:00:01:04")).withMeter(4),
                BridgePort.guest(5, "vm-free", 100).withMeter(5),
                BridgePort.guest(6, "vm-unmetered", 100).withAttachedMac(MacAddress.parse("02:00:00:00:01:06")));

        assertThat(PuntFlows.build(ports, Set.of(100), new PuntPolicy(FlowCookie.DEFAULT, 0, 20, 10)).text()).isEqualTo("""
                meter=4 pktps burst stats bands=type=drop rate=20 burst_size=10
                meter=5 pktps burst stats bands=type=drop rate=20 burst_size=10
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=4,vlan_tci=0x0000/0x1fff,dl_src=02:00:00:00:01:04,tp_src=68,tp_dst=67 actions=meter:4,CONTROLLER:65535
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=5,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:5,CONTROLLER:65535
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=6,vlan_tci=0x0000/0x1fff,dl_src=02:00:00:00:01:06,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000003, priority=290,udp,in_port=4,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=drop
                cookie=0xfab1dc0000000003, priority=290,udp,in_port=6,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=4,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=5,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=6,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL""");
    }

    @Test
    void aTrunkGuestIsInterceptedOnEachManagedVlanItCarries() {
        List<BridgePort> ports = List.of(
                BridgePort.guest(7, "vm-trunk", 0).withTagged(TaggedVlans.ALL),
                BridgePort.guest(8, "vm-some", 0).withTagged(TaggedVlans.of(Set.of(20, 30))));

        assertThat(PuntFlows.build(ports, Set.of(20, 10), POLICY).text()).isEqualTo("""
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=7,dl_vlan=10,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=7,dl_vlan=20,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=8,dl_vlan=20,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=7,dl_vlan=10,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=7,dl_vlan=20,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=8,dl_vlan=20,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL""");
    }

    @Test
    void uplinksTunnelsAndUnknownPortsAreNeverGuestsWhateverTheirVlan() {
        List<BridgePort> ports = List.of(
                new BridgePort(1, "eth1", PortRole.UPLINK, 5, TaggedVlans.ALL, null, 1),
                new BridgePort(2, "gnv0", PortRole.TUNNEL, 5, TaggedVlans.ALL, null, 2),
                new BridgePort(3, "br-x", PortRole.LOCAL, 5, TaggedVlans.NONE, null, 3),
                new BridgePort(4, "new0", PortRole.UNKNOWN, 5, TaggedVlans.NONE, null, 4));

        Pipeline pipeline = PuntFlows.build(ports, Set.of(0, 5), POLICY);

        assertThat(pipeline.meters()).isEmpty();
        assertThat(pipeline.text()).isEqualTo("cookie=0xfab1dc0000000001, priority=0 actions=NORMAL");
    }

    @Test
    void aGuestOnAnUnmanagedNetworkKeepsItsDhcpServerAndGetsNoMeter() {
        Pipeline pipeline = PuntFlows.build(List.of(BridgePort.guest(9, "vm-dhcp-server", 50).withMeter(9)),
                Set.of(0), POLICY);

        assertThat(pipeline.meters()).isEmpty();
        assertThat(pipeline.text()).isEqualTo("cookie=0xfab1dc0000000001, priority=0 actions=NORMAL");
    }

    @Test
    void anotherCookieAndTableShowInTheText() {
        PuntPolicy policy = new PuntPolicy(new FlowCookie(0x1234_0000_0000_0000L, 0xffff_0000_0000_0000L), 3, 100, 50);

        assertThat(PuntFlows.build(List.of(BridgePort.guest(2, "vm", 0)), Set.of(0), policy).text()).isEqualTo("""
                cookie=0x1234000000000002, table=3, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0x1234000000000004, table=3, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0x1234000000000001, table=3, priority=0 actions=NORMAL""");
    }

    @Test
    void nonsensePortsInstallNothingAndAreReported() {
        List<BridgePort> ports = List.of(
                BridgePort.guest(2, "vm1", 0),
                BridgePort.guest(2, "vm1-again", 0),
                BridgePort.guest(-1, "failed", 0),
                BridgePort.guest(3, "bad-mac", 0).withAttachedMac(MacAddress.parse("01:00:5e:00:00:01")),
                BridgePort.guest(4, "vm4", 0).withMeter(7),
                BridgePort.guest(5, "vm5", 0).withMeter(7));

        Pipeline pipeline = PuntFlows.build(ports, Set.of(0), POLICY);

        assertThat(pipeline.refusals()).containsExactly(
                "vm1-again: ofport 2 appears twice",
                "failed: ofport -1 is not a usable switch port",
                "bad-mac: attached-mac 01:00:5e:00:00:01 is a multicast address",
                "vm5: meter 7 is already used by another port");
        assertThat(pipeline.flows()).extracting(f -> f.match().inPort()).containsOnly(-1, 2, 4);
    }

    @Test
    void theResultDoesNotDependOnPortOrder() {
        List<BridgePort> ports = List.of(BridgePort.guest(3, "b", 0), BridgePort.guest(2, "a", 7).withMeter(2),
                BridgePort.guest(4, "c", 0).withTagged(TaggedVlans.ALL));

        String forward = PuntFlows.build(ports, Set.of(0, 7), POLICY).text();
        String backward = PuntFlows.build(com.google.common.collect.Lists.reverse(ports), Set.of(7, 0), POLICY).text();

        assertThat(backward).isEqualTo(forward);
    }
}
