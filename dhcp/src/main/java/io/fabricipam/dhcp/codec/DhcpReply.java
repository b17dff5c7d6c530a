package io.fabricipam.dhcp.codec;

import io.fabricipam.dhcp.net.Ipv4Address;
import java.util.List;

/**
 * A reply the server decided to send. {@code options} are in the order they should appear (message type
 * and server identifier first, then the client's parameter request list order); {@code essential} lists
 * the codes that must never be left out to make the packet fit.
 */
public record DhcpReply(
        DhcpMessageType messageType,
        DhcpRequest request,
        Ipv4Address yiaddr,
        Ipv4Address siaddr,
        String bootFileName,
        List<Option> options,
        ReplyDestination destination) {

    public DhcpReply {
        options = List.copyOf(options);
    }

    /** One option to send; {@code essential} options survive when the packet must shrink. */
    public record Option(int code, byte[] value, boolean essential) {
    }

    public byte[] option(int code) {
        for (Option o : options) {
            if (o.code() == code) {
                return o.value().clone();
            }
        }
        return null;
    }
}
