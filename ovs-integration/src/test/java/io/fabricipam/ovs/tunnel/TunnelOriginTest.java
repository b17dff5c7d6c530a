package io.fabricipam.ovs.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.ovs.flow.FlowAction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;

class TunnelOriginTest {

    private static final byte[] FRAME = OvsPacketIns.clientDhcp("02:00:00:99:02:02", -1);

    @Test
    void readsTheOriginHostAndKeyFromAPacketInWithoutEthType() throws Exception {
        OFPacketIn packetIn = OvsPacketIns.parse(OvsPacketIns.bytes(10, 0xa002, "10.99.0.2", "10.99.0.1", FRAME));

        // the bite: openflowj's checked getter refuses the field without eth_type=IPv4 in the match
        assertThat(packetIn.getMatch().get(MatchField.TUNNEL_IPV4_SRC)).isNull();
        assertThat(packetIn.getMatch().get(MatchField.IN_PORT)).isEqualTo(OFPort.of(10));

        TunnelOrigin origin = TunnelOrigin.read(packetIn.getMatch()).orElseThrow();

        assertThat(origin.underlay().getHostAddress()).isEqualTo("10.99.0.2");
        assertThat(origin.tunId()).isEqualTo(0xa002);
        assertThat(origin.key()).isEqualTo(new TunnelKey(10, 2));
        assertThat(packetIn.getData()).isEqualTo(FRAME);
    }

    @Test
    void aLocalPacketInHasNoOrigin() throws Exception {
        OFPacketIn packetIn = OvsPacketIns.parse(OvsPacketIns.bytes(3, 0, null, null, FRAME));

        assertThat(TunnelOrigin.read(packetIn.getMatch())).isEmpty();
    }

    @Test
    void aZeroKeyLeftOutByOvsReadsAsZeroAndIsNotOurs() throws Exception {
        OFPacketIn packetIn = OvsPacketIns.parse(OvsPacketIns.bytes(10, 0, "10.99.0.2", "10.99.0.1", FRAME));

        TunnelOrigin origin = TunnelOrigin.read(packetIn.getMatch()).orElseThrow();

        assertThat(origin.tunId()).isZero();
        assertThat(origin.key()).isNull();
    }

    @Test
    void theReplyGoesBackThroughTheTunnelToTheOriginWithTheSameKey() throws Exception {
        TunnelOrigin origin = new TunnelOrigin((Inet4Address) InetAddress.getByName("10.99.0.2"), 0xa002);
        byte[] reply = OvsPacketIns.clientDhcp("02:00:00:0a:00:fe", -1);

        OFPacketOut out = TunnelPacketOut.reply(origin, 10, reply);
        ByteBuf wire = Unpooled.buffer();
        out.writeTo(wire);
        String hex = ByteBufUtil.hexDump(wire);

        assertThat(TunnelPacketOut.actions(origin, 10)).extracting(FlowAction::toOfctlText)
                .containsExactly("set_field:10.99.0.2->tun_dst", "set_field:0xa002->tun_id", "output:10");
        // set_field(NXM tun_dst 10.99.0.2), set_field(OXM tun_id 0xa002), output:10 max_len 0
        assertThat(hex).contains("00190010" + "00014004" + "0a630002" + "00000000"
                + "00190010" + "80004c08" + "000000000000a002"
                + "00000010" + "0000000a" + "0000" + "000000000000");
        OFPacketOut back = (OFPacketOut) OFFactories.getGenericReader().readFrom(wire);
        assertThat(back.getInPort()).isEqualTo(OFPort.CONTROLLER);
        assertThat(back.getActions()).isEqualTo(out.getActions());
        assertThat(back.getData()).isEqualTo(reply);
    }

    @Test
    void keysPackVlanAndPortIntoTwentyFourBits() {
        assertThat(new TunnelKey(10, 2).value()).isEqualTo(0xa002);
        assertThat(new TunnelKey(4094, 4095).value()).isEqualTo(0xffefffL);
        assertThat(TunnelKey.parse(0xffefffL)).isEqualTo(new TunnelKey(4094, 4095));
        assertThat(TunnelKey.parse(0x1)).isEqualTo(new TunnelKey(0, 1));
        for (long notOurs : List.of(0L, 0x1000L, 0xfff001L, 1L << 24, -1L)) {
            assertThat(TunnelKey.parse(notOurs)).as("0x%x", notOurs).isNull();
        }
        assertThat(TunnelKey.fits(4095)).isTrue();
        assertThat(TunnelKey.fits(4096)).isFalse();
    }
}
