package io.fabricipam.ovs.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ArpCodecTest {

    /**
     * "who-has 10.20.0.2 tell 10.20.0.150" as a Linux guest sends it on a veth (tcpdump -xx): broadcast,
     * 42 bytes of Ethernet and ARP, padded to 60 by the sender's datapath.
     */
    static final String LINUX_REQUEST = "ffffffffffff02f400000001" + "0806"
            + "0001" + "0800" + "06" + "04" + "0001"
            + "02f400000001" + "0a140096"
            + "000000000000" + "0a140002"
            + "000000000000000000000000000000000000";

    @Test
    void decodesAGuestsRequestAndEncodesItBackByteForByte() throws Exception {
        byte[] bytes = HexFormat.of().parseHex(LINUX_REQUEST);

        ArpFrame request = ArpCodec.decode(bytes);

        assertThat(ArpCodec.isArp(bytes)).isTrue();
        assertThat(request.dstMac()).isEqualTo(MacAddress.BROADCAST);
        assertThat(request.srcMac()).isEqualTo(MacAddress.parse("02:f4:00:00:00:01"));
        assertThat(request.tagged()).isFalse();
        assertThat(request.operation()).isEqualTo(ArpFrame.REQUEST);
        assertThat(request.senderMac()).isEqualTo(MacAddress.parse("02:f4:00:00:00:01"));
        assertThat(request.senderIp()).isEqualTo(ip("10.20.0.150"));
        assertThat(request.targetIp()).isEqualTo(ip("10.20.0.2"));
        assertThat(request.toString()).contains("who-has 10.20.0.2 tell 10.20.0.150");
        assertThat(ArpCodec.encode(request)).isEqualTo(bytes);
    }

    @Test
    void theReplyGoesBackToTheAskerWithOurMacAndKeepsTheTag() throws Exception {
        MacAddress ours = MacAddress.parse("02:fa:b1:dc:00:01");
        ArpFrame request = new ArpFrame(MacAddress.BROADCAST, MacAddress.parse("02:f4:00:00:00:04"), 10, ArpFrame.REQUEST,
                MacAddress.parse("02:f4:00:00:00:04"), ip("10.20.0.55"), new MacAddress(0), ip("10.20.0.2"));

        byte[] reply = ArpCodec.encode(request.replyFrom(ours));

        assertThat(HexFormat.of().formatHex(reply)).isEqualTo("02f40000000402fab1dc0001" + "8100000a" + "0806"
                + "0001080006040002" + "02fab1dc0001" + "0a140002" + "02f400000004" + "0a140037"
                + "0000000000000000000000000000");
        assertThat(reply).hasSize(60);
        ArpFrame back = ArpCodec.decode(reply);
        assertThat(back).isEqualTo(request.replyFrom(ours));
        assertThat(back.toString()).contains("vlan 10").contains("10.20.0.2 is-at 02:fa:b1:dc:00:01");
    }

    @Test
    void anythingButIpv4OverEthernetIsRefused() {
        byte[] bytes = HexFormat.of().parseHex(LINUX_REQUEST);
        byte[] ipv6Protocol = bytes.clone();
        ipv6Protocol[16] = (byte) 0x86;
        ipv6Protocol[17] = (byte) 0xdd;
        byte[] cut = Arrays.copyOf(bytes, 14 + 20);
        byte[] notArp = bytes.clone();
        notArp[13] = 0x00; // ethertype 0x0800

        assertThatThrownBy(() -> ArpCodec.decode(ipv6Protocol)).isInstanceOfSatisfying(MalformedFrameException.class,
                e -> assertThat(e.reason()).isEqualTo(FrameError.BAD_ARP));
        assertThatThrownBy(() -> ArpCodec.decode(cut)).isInstanceOfSatisfying(MalformedFrameException.class,
                e -> assertThat(e.reason()).isEqualTo(FrameError.BAD_ARP));
        assertThatThrownBy(() -> ArpCodec.decode(new byte[10])).isInstanceOfSatisfying(MalformedFrameException.class,
                e -> assertThat(e.reason()).isEqualTo(FrameError.TRUNCATED_ETHERNET));
        assertThat(ArpCodec.isArp(notArp)).isFalse();
        assertThat(ArpCodec.isArp(new byte[3])).isFalse();
        assertThatThrownBy(() -> ArpCodec.decode(notArp)).isInstanceOf(MalformedFrameException.class);
    }

    private static Inet4Address ip(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }
}
