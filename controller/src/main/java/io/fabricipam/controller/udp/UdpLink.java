package io.fabricipam.controller.udp;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.netty.channel.Channel;
import java.util.List;

/** One interface the UDP front end serves: its socket and our current IPv4 addresses on it. */
final class UdpLink {

    final String interfaceName;
    final String seenOn;
    final Channel channel;
    private volatile List<Ipv4Address> addresses;

    UdpLink(String interfaceName, Channel channel, List<Ipv4Address> addresses) {
        this.interfaceName = interfaceName;
        this.seenOn = "udp:" + interfaceName;
        this.channel = channel;
        this.addresses = List.copyOf(addresses);
    }

    List<Ipv4Address> addresses() {
        return addresses;
    }

    void addresses(List<Ipv4Address> current) {
        this.addresses = List.copyOf(current);
    }
}
