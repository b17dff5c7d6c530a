package io.fabricipam.ovs.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.ovs.pipeline.BridgePort;
import io.fabricipam.ovs.pipeline.LeaderRoute;
import io.fabricipam.ovs.pipeline.PuntPolicy;
import io.fabricipam.ovs.pipeline.ServerAddresses;
import io.fabricipam.ovs.pipeline.TunnelFlows;
import io.fabricipam.ovs.port.PortRole;
import io.fabricipam.ovs.port.TaggedVlans;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** The tunnel fields and actions: their text, their bytes on the wire, and reading them back. */
class OfFlowModsTunnelTest {

    // NXM_NX_TUN_IPV4_SRC / _DST (class 0x0001, fields 31 / 32, 4 bytes); OXM_OF_TUNNEL_ID (class 0x8000, field 38, 8 bytes)
    private static final String NXM_TUN_SRC = "00013e04";
    private static final String NXM_TUN_DST = "00014004";
    private static final String OXM_TUN_ID = "80004c08";

    @Test
    void rendersTunnelFieldsAndActionsAsOvsPrintsThem() throws Exception {
        FlowSpec reply = FlowSpec.of(0, 300, 0x8, FlowMatch.ALL.withInPort(10).withVlan(VlanMatch.UNTAGGED)
                .withTunnel(0xa002, ip("10.99.0.1")).withUdp(67, 68), List.of(new FlowAction.Output(2)));
        FlowSpec forward = FlowSpec.of(0, 300, 0x6, FlowMatch.ALL.withInPort(1).withUdp(68, 67),
                List.of(new FlowAction.SetTunnelDestination(ip("10.99.0.1")), new FlowAction.SetTunnelId(1), new FlowAction.Output(10)));

        // as ovs-ofctl -O OpenFlow13 dump-flows printed these flows on OVS 3.1
        assertThat(FlowText.render(reply)).isEqualTo("cookie=0x8, priority=300,udp,tun_id=0xa002,tun_src=10.99.0.1,in_port=10,"
                + "vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=output:2");
        assertThat(FlowText.render(forward)).isEqualTo("cookie=0x6, priority=300,udp,in_port=1,tp_src=68,tp_dst=67 "
                + "actions=set_field:10.99.0.1->tun_dst,set_field:0x1->tun_id,output:10");
        assertThat(new FlowAction.SetTunnelId(0).toOfctlText()).isEqualTo("set_field:0->tun_id");
    }

    @Test
    void tunnelSourceIsNiciraNxmAndTunnelIdStandardOxmOnTheWire() throws Exception {
        FlowSpec reply = FlowSpec.of(0, 300, 0x8, FlowMatch.ALL.withInPort(10).withTunnel(0xa002, ip("10.99.0.1")).withUdp(67, 68),
                List.of(new FlowAction.Output(2)));

        String hex = hex(OfFlowMods.add(reply));

        assertThat(hex).contains(NXM_TUN_SRC + "0a630001").contains(OXM_TUN_ID + "000000000000a002");
    }

    @Test
    void setTunnelDestinationIsASetFieldWithTheNxmHeader() throws Exception {
        FlowSpec forward = FlowSpec.of(0, 300, 0x6, FlowMatch.ALL.withInPort(1).withUdp(68, 67),
                List.of(new FlowAction.SetTunnelDestination(ip("10.99.0.1")), new FlowAction.SetTunnelId(0xa002), new FlowAction.Output(10)));

        String hex = hex(OfFlowMods.add(forward));

        // OFPAT_SET_FIELD (type 25), length 16: the NXM header and address, then padding to 8 bytes
        assertThat(hex).contains("00190010" + NXM_TUN_DST + "0a630001" + "00000000");
        assertThat(hex).contains("00190010" + OXM_TUN_ID + "000000000000a002");
    }

    @Test
    void everyTunnelPipelineFlowSurvivesTheWireAndReadsBackAsItself() throws Exception {
        List<BridgePort> ports = List.of(BridgePort.guest(1, "a", 0).withMeter(1), BridgePort.guest(2, "b", 10),
                BridgePort.guest(3, "c", 0).withTagged(TaggedVlans.ALL), BridgePort.infrastructure(9, "vx", PortRole.TUNNEL));
        List<FlowSpec> flows = new ArrayList<>(TunnelFlows.build(ports, Set.of(0, 10), ServerAddresses.NONE, PuntPolicy.DEFAULT,
                LeaderRoute.remote(9, ip("10.99.0.1"))).flows());
        flows.addAll(TunnelFlows.build(ports, Set.of(0, 10), ServerAddresses.NONE, PuntPolicy.DEFAULT, LeaderRoute.local(9)).flows());
        assertThat(flows).anyMatch(f -> f.match().tunSrc() != null).anyMatch(f -> f.toString().contains("->tun_dst"));

        for (FlowSpec flow : flows) {
            OFFlowAdd add = (OFFlowAdd) throughTheWire(OfFlowMods.add(flow));

            assertThat(OfFlowMods.read(asStatsEntry(add))).as(flow.toString()).contains(flow);
        }
    }

    @Test
    void refusesTunnelIdsNoTunnelCarries() {
        assertThatThrownBy(() -> new FlowAction.SetTunnelId(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlowMatch.ALL.withTunnel(-2, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String hex(OFMessage message) {
        ByteBuf buf = Unpooled.buffer();
        message.writeTo(buf);
        return ByteBufUtil.hexDump(buf);
    }

    private static OFMessage throughTheWire(OFMessage message) throws Exception {
        ByteBuf buf = Unpooled.buffer();
        message.writeTo(buf);
        return OFFactories.getGenericReader().readFrom(buf);
    }

    private static OFFlowStatsEntry asStatsEntry(OFFlowAdd add) {
        return OfFlowMods.factory().buildFlowStatsEntry()
                .setTableId(add.getTableId()).setPriority(add.getPriority()).setCookie(add.getCookie())
                .setMatch(add.getMatch()).setInstructions(add.getInstructions())
                .setIdleTimeout(add.getIdleTimeout()).setHardTimeout(add.getHardTimeout())
                .build();
    }

    private static Inet4Address ip(String text) throws Exception {
        return (Inet4Address) InetAddress.getByName(text);
    }

}
