package io.fabricipam.controller.it;

import io.fabricipam.ovs.frame.FrameCodec;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.frame.UdpFrame;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/** Whole Ethernet frames a guest puts on the wire where no ordinary socket would (see {@link OvsBridges#sendFrames}). */
final class GuestFrames {

    private GuestFrames() {
    }

    /** A client's broadcast DHCP frame from port 68 to 67, with {@code payload} as the UDP payload; {@code vlan} -1: untagged. */
    static byte[] client(String mac, int vlan, byte[] payload) {
        return FrameCodec.encode(new UdpFrame(MacAddress.BROADCAST, MacAddress.parse(mac), vlan,
                ip("0.0.0.0"), ip("255.255.255.255"), 68, 67, payload));
    }

    /** A DHCPOFFER as a rogue server would broadcast it. */
    static byte[] rogueOffer(String serverMac, String serverIp, String clientMac, String offered) {
        DHCPPacket p = new DHCPPacket();
        p.setOp(DHCPConstants.BOOTREPLY);
        p.setHtype(DHCPConstants.HTYPE_ETHER);
        p.setHlen((byte) 6);
        p.setXid(0x0bad0ffe);
        p.setYiaddrRaw(ip(offered).getAddress());
        byte[] chaddr = new byte[16];
        System.arraycopy(MacAddress.parse(clientMac).toBytes(), 0, chaddr, 0, 6);
        p.setChaddr(chaddr);
        p.setDHCPMessageType(DHCPConstants.DHCPOFFER);
        p.setOptionRaw(DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER, ip(serverIp).getAddress());
        return FrameCodec.encode(new UdpFrame(MacAddress.BROADCAST, MacAddress.parse(serverMac), UdpFrame.UNTAGGED,
                ip(serverIp), ip("255.255.255.255"), 67, 68, p.serialize()));
    }

    static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
