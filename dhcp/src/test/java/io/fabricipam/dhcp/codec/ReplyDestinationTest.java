package io.fabricipam.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a reply goes, RFC 2131 §4.1: relay, else broadcast NAK, else ciaddr, else broadcast flag, else yiaddr. */
class ReplyDestinationTest {

    private final DhcpCodec codec = new DhcpCodec();

    private final MacAddress mac = RequestBytes.MAC;
    private final Ipv4Address yiaddr = Ipv4Address.parse("192.0.2.150");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"OFFER", "ACK", "NAK"})
    void relayWinsOverEverythingElse(String type) throws Exception {
        DhcpRequest request = codec.decode(RequestBytes.of(DhcpMessageType.REQUEST).broadcastFlag()
                .ciaddr("192.0.2.7").giaddr("198.51.100.1").build());

        assertThat(ReplyDestination.forReply(request, messageType(type), yiaddr)).isEqualTo(
                new ReplyDestination(ReplyDestination.Kind.RELAY, Ipv4Address.parse("198.51.100.1"), 67, null));
    }

    @Test
    void nakWithoutRelayIsBroadcastEvenToARenewingClient() throws Exception {
        DhcpRequest renewing = codec.decode(Fixtures.load("udhcpc-request-renewing"));

        assertThat(ReplyDestination.forReply(renewing, DhcpMessageType.NAK, null)).isEqualTo(
                new ReplyDestination(ReplyDestination.Kind.BROADCAST, Ipv4Address.BROADCAST, 68,
                        MacAddress.BROADCAST));
    }

    @Test
    void clientWithAnAddressGetsUnicastThere() throws Exception {
        DhcpRequest renewing = codec.decode(Fixtures.load("dhcpcd-request-renewing"));

        assertThat(ReplyDestination.forReply(renewing, DhcpMessageType.ACK, renewing.ciaddr())).isEqualTo(
                new ReplyDestination(ReplyDestination.Kind.CLIENT_ADDRESS, Ipv4Address.parse("192.0.2.107"), 68,
                        MacAddress.parse("02:fc:00:00:00:03")));
    }

    @Test
    void broadcastFlagMeansBroadcast() throws Exception {
        DhcpRequest request = codec.decode(RequestBytes.of(DhcpMessageType.DISCOVER).broadcastFlag().build());

        assertThat(ReplyDestination.forReply(request, DhcpMessageType.OFFER, yiaddr)).isEqualTo(
                new ReplyDestination(ReplyDestination.Kind.BROADCAST, Ipv4Address.BROADCAST, 68,
                        MacAddress.BROADCAST));
    }

    @Test
    void otherwiseUnicastToTheOfferedAddressAtChaddr() throws Exception {
        DhcpRequest selecting = codec.decode(Fixtures.load("dhclient-request-selecting"));

        assertThat(ReplyDestination.forReply(selecting, DhcpMessageType.ACK, selecting.requestedAddress()))
                .isEqualTo(new ReplyDestination(ReplyDestination.Kind.OFFERED_ADDRESS,
                        Ipv4Address.parse("192.0.2.106"), 68, MacAddress.parse("02:fc:00:00:00:02")));
        DhcpRequest discover = codec.decode(RequestBytes.of(DhcpMessageType.DISCOVER).build());
        assertThat(ReplyDestination.forReply(discover, DhcpMessageType.OFFER, yiaddr)).isEqualTo(
                new ReplyDestination(ReplyDestination.Kind.OFFERED_ADDRESS, yiaddr, 68, mac));
    }

    @Test
    void withNoAddressToUnicastToTheReplyIsBroadcast() throws Exception {
        DhcpRequest inform = codec.decode(RequestBytes.of(DhcpMessageType.INFORM).build());

        assertThat(ReplyDestination.forReply(inform, DhcpMessageType.ACK, null).kind())
                .isEqualTo(ReplyDestination.Kind.BROADCAST);
        assertThat(ReplyDestination.forReply(inform, DhcpMessageType.ACK, Ipv4Address.ANY).kind())
                .isEqualTo(ReplyDestination.Kind.BROADCAST);
    }

    private DhcpMessageType messageType(String name) {
        return switch (name) {
            case "OFFER" -> DhcpMessageType.OFFER;
            case "ACK" -> DhcpMessageType.ACK;
            default -> DhcpMessageType.NAK;
        };
    }
}
