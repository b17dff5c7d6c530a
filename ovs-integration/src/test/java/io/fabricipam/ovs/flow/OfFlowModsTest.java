package io.fabricipam.ovs.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.pipeline.BridgePort;
import io.fabricipam.ovs.pipeline.PuntFlows;
import io.fabricipam.ovs.pipeline.PuntPolicy;
import io.fabricipam.ovs.pipeline.ServerAddresses;
import io.fabricipam.ovs.port.TaggedVlans;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.U64;

class OfFlowModsTest {

    @Test
    void everyPipelineFlowSurvivesTheWireAndReadsBackAsItself() throws Exception {
        List<BridgePort> ports = List.of(
                BridgePort.guest(2, "a", 0).withAttachedMac(MacAddress.parse("02:00:00:00:00:02")).withMeter(2),
                BridgePort.guest(3, "b", 0).withTagged(TaggedVlans.ALL));
        ServerAddresses servers = new ServerAddresses(Map.of(10, Map.of(
                (Inet4Address) InetAddress.getByName("10.0.10.2"), MacAddress.parse("02:fa:b1:dc:00:01"))));
        List<FlowSpec> flows = PuntFlows.build(ports, Set.of(0, 10), servers, PuntPolicy.DEFAULT).flows();
        assertThat(flows).hasSizeGreaterThan(5);
        assertThat(flows).anyMatch(f -> f.match().toOfctlText().equals("arp,in_port=3,dl_vlan=10,arp_tpa=10.0.10.2,arp_op=1"));

        for (FlowSpec flow : flows) {
            OFFlowAdd add = (OFFlowAdd) throughTheWire(OfFlowMods.add(flow));

            assertThat(OfFlowMods.read(asStatsEntry(add))).as(flow.toString()).contains(flow);
        }
    }

    @Test
    void writesVlanMatchesTheOpenFlow13Way() {
        FlowMatch untagged = FlowMatch.ALL.withVlan(VlanMatch.UNTAGGED);
        FlowMatch tagged = FlowMatch.ALL.withVlan(VlanMatch.tagged(10));

        assertThat(OfFlowMods.match(untagged).get(MatchField.VLAN_VID).getRawVid()).isEqualTo((short) 0x0000);
        assertThat(OfFlowMods.match(tagged).get(MatchField.VLAN_VID).getRawVid()).isEqualTo((short) 0x100a);
    }

    @Test
    void aFlowOfAShapeWeNeverWriteReadsAsForeign() {
        OFFlowStatsEntry ipv6 = OfFlowMods.factory().buildFlowStatsEntry()
                .setCookie(U64.of(FlowCookie.DEFAULT.forPurpose(9)))
                .setMatch(OfFlowMods.factory().buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv6).build())
                .build();
        OFFlowStatsEntry arpSender = OfFlowMods.factory().buildFlowStatsEntry()
                .setCookie(U64.of(FlowCookie.DEFAULT.forPurpose(9)))
                .setMatch(OfFlowMods.factory().buildMatch().setExact(MatchField.ETH_TYPE, EthType.ARP)
                        .setExact(MatchField.ARP_SPA, IPv4Address.of("10.0.0.1")).build())
                .build();
        OFFlowStatsEntry maskedVlan = OfFlowMods.factory().buildFlowStatsEntry()
                .setMatch(OfFlowMods.factory().buildMatch()
                        .setMasked(MatchField.VLAN_VID, OFVlanVidMatch.PRESENT, OFVlanVidMatch.PRESENT).build())
                .build();

        assertThat(OfFlowMods.read(ipv6)).isEmpty();
        assertThat(OfFlowMods.read(arpSender)).isEmpty();
        assertThat(OfFlowMods.read(maskedVlan)).isEmpty();
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
}
