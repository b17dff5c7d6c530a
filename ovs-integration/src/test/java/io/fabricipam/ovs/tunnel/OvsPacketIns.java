package io.fabricipam.ovs.tunnel;

import io.fabricipam.ovs.frame.FrameCodec;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.frame.UdpFrame;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFPacketIn;

/**
 * OpenFlow 1.3 packet-ins written byte by byte the way OVS 3.1 sends a packet that came out of a VXLAN
 * port: the match holds tun_id (OXM), tun_src and tun_dst (Nicira NXM) and in_port, and no eth_type.
 */
public final class OvsPacketIns {

    private OvsPacketIns() {
    }

    /** A DHCPDISCOVER-shaped frame (68 -> 67, broadcast) from {@code mac}, untagged or with {@code vlan}. */
    public static byte[] clientDhcp(String mac, int vlan) {
        try {
            return FrameCodec.encode(new UdpFrame(MacAddress.BROADCAST, MacAddress.parse(mac), vlan,
                    (Inet4Address) InetAddress.getByName("0.0.0.0"), (Inet4Address) InetAddress.getByName("255.255.255.255"),
                    68, 67, new byte[300]));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The packet-in as bytes; {@code tunSrc} null leaves all tunnel metadata out (a local guest's packet). */
    public static byte[] bytes(int inPort, long tunId, String tunSrc, String tunDst, byte[] frame) {
        ByteBuffer match = ByteBuffer.allocate(64);
        if (tunSrc != null) {
            match.putInt(0x80004c08).putLong(tunId);                 // OXM_OF_TUNNEL_ID
            match.putInt(0x00013e04).put(address(tunSrc));           // NXM_NX_TUN_IPV4_SRC
            match.putInt(0x00014004).put(address(tunDst));           // NXM_NX_TUN_IPV4_DST
        }
        match.putInt(0x80000004).putInt(inPort);                    // OXM_OF_IN_PORT
        int oxmLength = match.position();
        int matchLength = 4 + oxmLength;
        int padded = (matchLength + 7) / 8 * 8;
        int length = 8 + 16 + padded + 2 + frame.length;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put((byte) 4).put((byte) 10).putShort((short) length).putInt(0);   // OF1.3 PACKET_IN, xid 0
        b.putInt(0xffffffff).putShort((short) frame.length).put((byte) 1).put((byte) 0);   // no buffer, ACTION, table 0
        b.putLong(0xfab1dc0000000007L);
        b.putShort((short) 1).putShort((short) matchLength).put(match.array(), 0, oxmLength);
        b.put(new byte[padded - matchLength]);
        b.put(new byte[2]);
        b.put(frame);
        return b.array();
    }

    public static OFPacketIn parse(byte[] bytes) throws OFParseError {
        return (OFPacketIn) OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(bytes));
    }

    private static byte[] address(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
