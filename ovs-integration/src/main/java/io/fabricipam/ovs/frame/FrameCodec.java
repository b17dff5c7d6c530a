package io.fabricipam.ovs.frame;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Ethernet / 802.1Q / IPv4 / UDP, both ways, for the DHCP punt path. Only what a DHCP exchange needs:
 * one optional VLAN tag, IPv4 with or without options, no fragments.
 *
 * <p>Decoding does not verify the UDP checksum: a guest's kernel leaves a partial checksum on frames it
 * hands to a veth with tx offload on, and the userspace datapath forwards them unchanged (LAB-NOTES), so
 * a mismatch cannot be told from offload. The IPv4 header checksum is always complete and is verified.
 * Encoding always writes complete IPv4 and UDP checksums, because the receiver cannot know we skipped them.
 */
public final class FrameCodec {

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88a8;
    static final int IP_PROTO_UDP = 17;
    /** Default TTL of Linux and of common DHCP servers; a DHCP reply never crosses a router anyway. */
    static final int TTL = 64;

    private FrameCodec() {
    }

    public static UdpFrame decode(byte[] frame) throws MalformedFrameException {
        return decode(frame, 0, frame.length);
    }

    /** Decodes {@code length} bytes of {@code frame} from {@code offset}; trailing Ethernet padding is ignored. */
    public static UdpFrame decode(byte[] frame, int offset, int length) throws MalformedFrameException {
        int end = offset + length;
        if (length < 14) {
            throw new MalformedFrameException(FrameError.TRUNCATED_ETHERNET, length + " bytes");
        }
        MacAddress dst = MacAddress.of(frame, offset);
        MacAddress src = MacAddress.of(frame, offset + 6);
        int p = offset + 12;
        int etherType = u16(frame, p);
        int vlan = UdpFrame.UNTAGGED;
        if (etherType == ETHERTYPE_VLAN) {
            if (end - p < 6) {
                throw new MalformedFrameException(FrameError.TRUNCATED_ETHERNET, "802.1Q header cut");
            }
            vlan = u16(frame, p + 2) & 0x0fff;
            p += 4;
            etherType = u16(frame, p);
            if (etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ) {
                throw new MalformedFrameException(FrameError.STACKED_VLAN, "second tag");
            }
        } else if (etherType == ETHERTYPE_QINQ) {
            throw new MalformedFrameException(FrameError.STACKED_VLAN, "802.1ad outer tag");
        }
        if (etherType != ETHERTYPE_IPV4) {
            throw new MalformedFrameException(FrameError.NOT_IPV4, "ethertype 0x" + Integer.toHexString(etherType));
        }
        if (vlan == 0xfff) {
            // 0xfff is reserved by 802.1Q; a frame carrying it is not on any network we could answer.
            throw new MalformedFrameException(FrameError.NOT_IPV4, "reserved VLAN id 4095");
        }
        int ip = p + 2;
        if (end - ip < 20) {
            throw new MalformedFrameException(FrameError.TRUNCATED_IPV4, (end - ip) + " bytes of IPv4");
        }
        int version = (frame[ip] & 0xff) >>> 4;
        int headerLength = (frame[ip] & 0x0f) * 4;
        if (version != 4 || headerLength < 20) {
            throw new MalformedFrameException(FrameError.BAD_IPV4_HEADER, "version " + version + ", IHL " + headerLength);
        }
        int totalLength = u16(frame, ip + 2);
        if (totalLength < headerLength) {
            throw new MalformedFrameException(FrameError.BAD_IPV4_HEADER, "total length " + totalLength);
        }
        if (ip + totalLength > end) {
            throw new MalformedFrameException(FrameError.TRUNCATED_IPV4, "total length " + totalLength + " > " + (end - ip));
        }
        if (InternetChecksum.finish(InternetChecksum.add(0, frame, ip, headerLength)) != 0) {
            throw new MalformedFrameException(FrameError.BAD_IPV4_CHECKSUM, "header checksum");
        }
        int fragment = u16(frame, ip + 6);
        if ((fragment & 0x3fff) != 0) {
            // more-fragments set or a non-zero offset (the DF bit, 0x4000, is fine)
            throw new MalformedFrameException(FrameError.FRAGMENTED, "flags/offset 0x" + Integer.toHexString(fragment));
        }
        if ((frame[ip + 9] & 0xff) != IP_PROTO_UDP) {
            throw new MalformedFrameException(FrameError.NOT_UDP, "protocol " + (frame[ip + 9] & 0xff));
        }
        Inet4Address srcIp = address(frame, ip + 12);
        Inet4Address dstIp = address(frame, ip + 16);
        int udp = ip + headerLength;
        int udpRoom = totalLength - headerLength;
        if (udpRoom < 8) {
            throw new MalformedFrameException(FrameError.BAD_UDP_LENGTH, udpRoom + " bytes for UDP");
        }
        int udpLength = u16(frame, udp + 4);
        if (udpLength < 8 || udpLength > udpRoom) {
            throw new MalformedFrameException(FrameError.BAD_UDP_LENGTH, "UDP length " + udpLength + " in " + udpRoom);
        }
        byte[] payload = new byte[udpLength - 8];
        System.arraycopy(frame, udp + 8, payload, 0, payload.length);
        return new UdpFrame(dst, src, vlan, srcIp, dstIp, u16(frame, udp), u16(frame, udp + 2), payload);
    }

    /** Encodes with complete IPv4 header and UDP checksums; the tag is written when {@code frame.tagged()}. */
    public static byte[] encode(UdpFrame frame) {
        int tag = frame.tagged() ? 4 : 0;
        int udpLength = 8 + frame.payload().length;
        int ipLength = 20 + udpLength;
        if (ipLength > 0xffff) {
            throw new IllegalArgumentException("payload too large for one IPv4 datagram: " + frame.payload().length);
        }
        byte[] out = new byte[14 + tag + ipLength];
        frame.dstMac().writeTo(out, 0);
        frame.srcMac().writeTo(out, 6);
        int p = 12;
        if (frame.tagged()) {
            put16(out, p, ETHERTYPE_VLAN);
            put16(out, p + 2, frame.vlan());
            p += 4;
        }
        put16(out, p, ETHERTYPE_IPV4);
        int ip = p + 2;
        out[ip] = 0x45;
        put16(out, ip + 2, ipLength);
        // identification 0 and no DF: the datagram is never fragmented on a link with a sane MTU
        out[ip + 8] = (byte) TTL;
        out[ip + 9] = (byte) IP_PROTO_UDP;
        byte[] src = frame.srcIp().getAddress();
        byte[] dst = frame.dstIp().getAddress();
        System.arraycopy(src, 0, out, ip + 12, 4);
        System.arraycopy(dst, 0, out, ip + 16, 4);
        put16(out, ip + 10, InternetChecksum.finish(InternetChecksum.add(0, out, ip, 20)));

        int udp = ip + 20;
        put16(out, udp, frame.srcPort());
        put16(out, udp + 2, frame.dstPort());
        put16(out, udp + 4, udpLength);
        System.arraycopy(frame.payload(), 0, out, udp + 8, frame.payload().length);
        long sum = InternetChecksum.add(0, out, ip + 12, 8); // pseudo-header: source and destination
        sum += IP_PROTO_UDP + udpLength;
        sum = InternetChecksum.add(sum, out, udp, udpLength);
        int checksum = InternetChecksum.finish(sum);
        // RFC 768: a computed zero is sent as all ones, since zero on the wire means "no checksum"
        put16(out, udp + 6, checksum == 0 ? 0xffff : checksum);
        return out;
    }

    static Inet4Address address(byte[] b, int offset) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }

    static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 8) | (b[offset + 1] & 0xff);
    }

    static void put16(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }
}
