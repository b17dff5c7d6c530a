package io.fabricipam.ovs.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.Dot1qVlanTagPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV4Rfc791Tos;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.namednumber.EtherType;
import org.pcap4j.packet.namednumber.IpNumber;
import org.pcap4j.packet.namednumber.IpVersion;
import org.pcap4j.packet.namednumber.UdpPort;

class FrameCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final MacAddress SERVER_MAC = MacAddress.parse("02:00:00:00:00:fe");
    private static final MacAddress CLIENT_MAC = MacAddress.parse("02:00:00:00:00:01");

    // Golden frames computed independently (a 20-line Python script with struct and the RFC 1071 sum).
    private static final String BROADCAST_HELLO =
            "ffffffffffff0200000000fe08004500002100000000401170cc0a000001ffffffff00430044000db17a68656c6c6f";
    private static final String TAGGED_VLAN_100 =
            "0200000000010200000000fe81000064080045000022000000004011667e0a0000010a00004d00430044000ea70a68656c6c6f21";

    @Test
    void encodesUntaggedBroadcastToGoldenBytes() throws Exception {
        UdpFrame frame = new UdpFrame(MacAddress.BROADCAST, SERVER_MAC, UdpFrame.UNTAGGED,
                ip("10.0.0.1"), ip("255.255.255.255"), 67, 68, ascii("hello"));

        assertThat(HEX.formatHex(FrameCodec.encode(frame))).isEqualTo(BROADCAST_HELLO);
    }

    @Test
    void encodesTaggedFrameToGoldenBytesKeepingTheTag() throws Exception {
        UdpFrame frame = new UdpFrame(CLIENT_MAC, SERVER_MAC, 100,
                ip("10.0.0.1"), ip("10.0.0.77"), 67, 68, ascii("hello!"));

        assertThat(HEX.formatHex(FrameCodec.encode(frame))).isEqualTo(TAGGED_VLAN_100);
    }

    @Test
    void decodesGoldenBytesBackToTheSameFrame() throws Exception {
        UdpFrame tagged = FrameCodec.decode(HEX.parseHex(TAGGED_VLAN_100));

        assertThat(tagged).isEqualTo(new UdpFrame(CLIENT_MAC, SERVER_MAC, 100,
                ip("10.0.0.1"), ip("10.0.0.77"), 67, 68, ascii("hello!")));
        assertThat(FrameCodec.decode(HEX.parseHex(BROADCAST_HELLO)).vlan()).isEqualTo(UdpFrame.UNTAGGED);
    }

    @Test
    void aComputedZeroUdpChecksumGoesOutAsAllOnes() throws Exception {
        // payload chosen (by the same script) so that the ones'-complement sum comes out as zero
        UdpFrame frame = new UdpFrame(CLIENT_MAC, SERVER_MAC, UdpFrame.UNTAGGED,
                ip("10.0.0.1"), ip("10.0.0.2"), 67, 68, HEX.parseHex("616289ea"));

        byte[] bytes = FrameCodec.encode(frame);

        int udpChecksum = ((bytes[14 + 20 + 6] & 0xff) << 8) | (bytes[14 + 20 + 7] & 0xff);
        assertThat(udpChecksum).isEqualTo(0xffff);
        assertThat(pcapUdp(bytes).hasValidChecksum(ip("10.0.0.1"), ip("10.0.0.2"), false)).isTrue();
    }

    @Test
    void matchesPcap4jByteForByteOnRandomFrames() throws Exception {
        Random random = new Random(4242);
        for (int i = 0; i < 200; i++) {
            byte[] payload = new byte[random.nextInt(600)];
            random.nextBytes(payload);
            int vlan = random.nextBoolean() ? UdpFrame.UNTAGGED : random.nextInt(4095);
            UdpFrame frame = new UdpFrame(new MacAddress(random.nextLong() & 0xffff_ffff_ffffL),
                    new MacAddress(random.nextLong() & 0xffff_ffff_ffffL), vlan,
                    randomIp(random), randomIp(random), random.nextInt(0x10000), random.nextInt(0x10000), payload);

            byte[] ours = FrameCodec.encode(frame);

            assertThat(HEX.formatHex(ours)).as("frame %d", i).isEqualTo(HEX.formatHex(pcap4jFrame(frame)));
            assertThat(FrameCodec.decode(ours)).isEqualTo(frame);
        }
    }

    @Test
    void pcap4jFindsOurChecksumsValid() throws Exception {
        byte[] bytes = FrameCodec.encode(new UdpFrame(MacAddress.BROADCAST, SERVER_MAC, 7,
                ip("192.168.7.1"), ip("255.255.255.255"), 67, 68, ascii("a DHCP payload of odd length")));

        EthernetPacket eth = EthernetPacket.newPacket(bytes, 0, bytes.length);
        IpV4Packet ipv4 = eth.get(IpV4Packet.class);
        assertThat(eth.get(Dot1qVlanTagPacket.class).getHeader().getVidAsInt()).isEqualTo(7);
        assertThat(ipv4.getHeader().hasValidChecksum(false)).isTrue();
        assertThat(ipv4.get(UdpPacket.class).hasValidChecksum(ip("192.168.7.1"), ip("255.255.255.255"), false)).isTrue();
    }

    @Test
    void toleratesPartialAndZeroUdpChecksumsOnInput() throws Exception {
        byte[] bytes = HEX.parseHex(BROADCAST_HELLO);
        int checksumAt = 14 + 20 + 6;
        // what a veth with tx offload leaves: the pseudo-header sum only, not the final checksum
        bytes[checksumAt] = 0x12;
        bytes[checksumAt + 1] = 0x34;
        assertThat(FrameCodec.decode(bytes).payload()).isEqualTo(ascii("hello"));
        bytes[checksumAt] = 0;
        bytes[checksumAt + 1] = 0;
        assertThat(FrameCodec.decode(bytes).payload()).isEqualTo(ascii("hello"));
    }

    @Test
    void ignoresEthernetPaddingAndSkipsIpOptions() throws Exception {
        byte[] padded = Arrays.copyOf(HEX.parseHex(BROADCAST_HELLO), 64);
        assertThat(FrameCodec.decode(padded).payload()).isEqualTo(ascii("hello"));

        byte[] withOption = withIpOption(HEX.parseHex(BROADCAST_HELLO));
        UdpFrame decoded = FrameCodec.decode(withOption);
        assertThat(decoded.payload()).isEqualTo(ascii("hello"));
        assertThat(decoded.dstPort()).isEqualTo(68);
    }

    @Test
    void refusesEachMalformedShapeWithItsReason() {
        byte[] good = HEX.parseHex(BROADCAST_HELLO);
        assertRefused(Arrays.copyOf(good, 13), FrameError.TRUNCATED_ETHERNET);
        assertRefused(with(good, 12, 0x86, 0xdd), FrameError.NOT_IPV4);
        assertRefused(with(good, 12, 0x88, 0xa8), FrameError.STACKED_VLAN);
        assertRefused(Arrays.copyOf(good, 30), FrameError.TRUNCATED_IPV4);
        assertRefused(Arrays.copyOf(good, good.length - 1), FrameError.TRUNCATED_IPV4);
        assertRefused(withIpFixed(good, 14, 0x65), FrameError.BAD_IPV4_HEADER);
        assertRefused(with(good, 14 + 8, 0x3f), FrameError.BAD_IPV4_CHECKSUM);
        assertRefused(withIpFixed(good, 14 + 6, 0x20), FrameError.FRAGMENTED);
        assertRefused(withIpFixed(good, 14 + 9, 6), FrameError.NOT_UDP);
        assertRefused(with(good, 14 + 20 + 4, 0x00, 0x07), FrameError.BAD_UDP_LENGTH);
        assertRefused(with(good, 14 + 20 + 4, 0x00, 0x0e), FrameError.BAD_UDP_LENGTH);

        byte[] tagged = HEX.parseHex(TAGGED_VLAN_100);
        assertRefused(Arrays.copyOf(tagged, 17), FrameError.TRUNCATED_ETHERNET);
        assertRefused(with(tagged, 16, 0x81, 0x00), FrameError.STACKED_VLAN);
    }

    @Test
    void acceptsTheDontFragmentBit() throws Exception {
        byte[] df = withIpFixed(HEX.parseHex(BROADCAST_HELLO), 14 + 6, 0x40);
        assertThat(FrameCodec.decode(df).payload()).isEqualTo(ascii("hello"));
    }

    private static void assertRefused(byte[] frame, FrameError reason) {
        assertThatThrownBy(() -> FrameCodec.decode(frame))
                .isInstanceOf(MalformedFrameException.class)
                .extracting(e -> ((MalformedFrameException) e).reason())
                .isEqualTo(reason);
    }

    private static byte[] with(byte[] frame, int offset, int... values) {
        byte[] copy = frame.clone();
        for (int i = 0; i < values.length; i++) {
            copy[offset + i] = (byte) values[i];
        }
        return copy;
    }

    /** Changes one IPv4 header byte of an untagged frame and fixes the header checksum afterwards. */
    private static byte[] withIpFixed(byte[] frame, int offset, int value) {
        byte[] copy = with(frame, offset, value);
        int ihl = (copy[14] & 0x0f) * 4;
        if (ihl < 20) {
            return copy;
        }
        copy[24] = 0;
        copy[25] = 0;
        int c = InternetChecksum.finish(InternetChecksum.add(0, copy, 14, ihl));
        copy[24] = (byte) (c >>> 8);
        copy[25] = (byte) c;
        return copy;
    }

    /** Inserts a 4-byte NOP option into the IPv4 header of an untagged frame. */
    private static byte[] withIpOption(byte[] frame) {
        byte[] out = new byte[frame.length + 4];
        System.arraycopy(frame, 0, out, 0, 34);
        out[34] = 1;
        out[35] = 1;
        out[36] = 1;
        out[37] = 0;
        System.arraycopy(frame, 34, out, 38, frame.length - 34);
        out[14] = 0x46;
        int total = ((out[16] & 0xff) << 8 | (out[17] & 0xff)) + 4;
        out[16] = (byte) (total >>> 8);
        out[17] = (byte) total;
        return withIpFixed(out, 14, 0x46);
    }

    private static byte[] pcap4jFrame(UdpFrame f) {
        UdpPacket.Builder udp = new UdpPacket.Builder()
                .srcPort(UdpPort.getInstance((short) f.srcPort()))
                .dstPort(UdpPort.getInstance((short) f.dstPort()))
                .srcAddr(f.srcIp()).dstAddr(f.dstIp())
                .payloadBuilder(new UnknownPacket.Builder().rawData(f.payload()))
                .correctChecksumAtBuild(true).correctLengthAtBuild(true);
        IpV4Packet.Builder ip = new IpV4Packet.Builder()
                .version(IpVersion.IPV4).tos(IpV4Rfc791Tos.newInstance((byte) 0)).ttl((byte) 64)
                .protocol(IpNumber.UDP).srcAddr(f.srcIp()).dstAddr(f.dstIp())
                .payloadBuilder(udp).correctChecksumAtBuild(true).correctLengthAtBuild(true);
        Packet.Builder l3 = ip;
        EtherType ethType = EtherType.IPV4;
        if (f.tagged()) {
            l3 = new Dot1qVlanTagPacket.Builder().priority((byte) 0).cfi(false).vid((short) f.vlan())
                    .type(EtherType.IPV4).payloadBuilder(ip);
            ethType = EtherType.DOT1Q_VLAN_TAGGED_FRAMES;
        }
        return new EthernetPacket.Builder()
                .dstAddr(org.pcap4j.util.MacAddress.getByAddress(f.dstMac().toBytes()))
                .srcAddr(org.pcap4j.util.MacAddress.getByAddress(f.srcMac().toBytes()))
                .type(ethType).payloadBuilder(l3).pad(new byte[0]).paddingAtBuild(false)
                .build().getRawData();
    }

    private static UdpPacket pcapUdp(byte[] bytes) throws Exception {
        return EthernetPacket.newPacket(bytes, 0, bytes.length).get(UdpPacket.class);
    }

    private static Inet4Address randomIp(Random random) throws Exception {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return (Inet4Address) InetAddress.getByAddress(b);
    }

    static Inet4Address ip(String text) throws Exception {
        return (Inet4Address) InetAddress.getByName(text);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
