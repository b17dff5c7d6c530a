package io.fabricipam.bench;

import io.fabricipam.dhcp.codec.DhcpCodec;
import io.fabricipam.dhcp.codec.DhcpRequest;
import io.fabricipam.dhcp.codec.MalformedPacketException;
import io.fabricipam.dhcp.net.MacAddress;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/** Client messages for benchmarks, built with dhcp4java and decoded by our codec. */
final class BenchPackets {

    private BenchPackets() {
    }

    static DhcpRequest discover(MacAddress mac) {
        DHCPPacket p = new DHCPPacket();
        p.setOp(DHCPConstants.BOOTREQUEST);
        p.setXid(0x1234);
        byte[] chaddr = new byte[16];
        mac.writeTo(chaddr, 0);
        p.setChaddr(chaddr);
        p.setDHCPMessageType(DHCPConstants.DHCPDISCOVER);
        p.setOptionRaw(DHCPConstants.DHO_DHCP_PARAMETER_REQUEST_LIST, new byte[] {1, 3, 6, 15, 28, 51, 58, 59});
        try {
            return new DhcpCodec().decode(p.serialize());
        } catch (MalformedPacketException e) {
            throw new IllegalStateException(e);
        }
    }
}
