package io.fabricipam.ovs.frame;

/**
 * Ethernet / 802.1Q / ARP both ways, for answering ARP for the DHCP server identifier. Only IPv4 over
 * Ethernet (hardware type 1, protocol 0x0800, lengths 6 and 4); anything else is {@link FrameError#BAD_ARP}.
 * Encoded frames are padded to the Ethernet minimum of 60 bytes (without FCS), as a kernel would.
 */
public final class ArpCodec {

    static final int ETHERTYPE_ARP = 0x0806;
    static final int ARP_LENGTH = 28;
    static final int MIN_FRAME = 60;

    private ArpCodec() {
    }

    /** Whether the frame's ethertype, after at most one 802.1Q tag, is ARP. Never throws. */
    public static boolean isArp(byte[] frame) {
        if (frame.length < 14) {
            return false;
        }
        int etherType = FrameCodec.u16(frame, 12);
        if (etherType == FrameCodec.ETHERTYPE_VLAN && frame.length >= 18) {
            etherType = FrameCodec.u16(frame, 16);
        }
        return etherType == ETHERTYPE_ARP;
    }

    public static ArpFrame decode(byte[] frame) throws MalformedFrameException {
        if (frame.length < 14) {
            throw new MalformedFrameException(FrameError.TRUNCATED_ETHERNET, frame.length + " bytes");
        }
        int p = 12;
        int vlan = UdpFrame.UNTAGGED;
        int etherType = FrameCodec.u16(frame, p);
        if (etherType == FrameCodec.ETHERTYPE_VLAN) {
            if (frame.length < 18) {
                throw new MalformedFrameException(FrameError.TRUNCATED_ETHERNET, "802.1Q header cut");
            }
            vlan = FrameCodec.u16(frame, p + 2) & 0x0fff;
            p += 4;
            etherType = FrameCodec.u16(frame, p);
        }
        if (etherType != ETHERTYPE_ARP || vlan == 0xfff) {
            throw new MalformedFrameException(FrameError.BAD_ARP, "ethertype 0x" + Integer.toHexString(etherType)
                    + (vlan == 0xfff ? " on reserved VLAN 4095" : ""));
        }
        int arp = p + 2;
        if (frame.length - arp < ARP_LENGTH) {
            throw new MalformedFrameException(FrameError.BAD_ARP, (frame.length - arp) + " bytes of ARP");
        }
        if (FrameCodec.u16(frame, arp) != 1 || FrameCodec.u16(frame, arp + 2) != FrameCodec.ETHERTYPE_IPV4
                || frame[arp + 4] != 6 || frame[arp + 5] != 4) {
            throw new MalformedFrameException(FrameError.BAD_ARP, "not IPv4 over Ethernet");
        }
        return new ArpFrame(MacAddress.of(frame, 0), MacAddress.of(frame, 6), vlan, FrameCodec.u16(frame, arp + 6),
                MacAddress.of(frame, arp + 8), FrameCodec.address(frame, arp + 14), MacAddress.of(frame, arp + 18), FrameCodec.address(frame, arp + 24));
    }

    public static byte[] encode(ArpFrame frame) {
        int tag = frame.tagged() ? 4 : 0;
        byte[] out = new byte[Math.max(MIN_FRAME, 14 + tag + ARP_LENGTH)];
        frame.dstMac().writeTo(out, 0);
        frame.srcMac().writeTo(out, 6);
        int p = 12;
        if (frame.tagged()) {
            FrameCodec.put16(out, p, FrameCodec.ETHERTYPE_VLAN);
            FrameCodec.put16(out, p + 2, frame.vlan());
            p += 4;
        }
        FrameCodec.put16(out, p, ETHERTYPE_ARP);
        int arp = p + 2;
        FrameCodec.put16(out, arp, 1);
        FrameCodec.put16(out, arp + 2, FrameCodec.ETHERTYPE_IPV4);
        out[arp + 4] = 6;
        out[arp + 5] = 4;
        FrameCodec.put16(out, arp + 6, frame.operation());
        frame.senderMac().writeTo(out, arp + 8);
        System.arraycopy(frame.senderIp().getAddress(), 0, out, arp + 14, 4);
        frame.targetMac().writeTo(out, arp + 18);
        System.arraycopy(frame.targetIp().getAddress(), 0, out, arp + 24, 4);
        return out;
    }
}
