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

        public Option {
            // 0 and 255 are PAD and END: written as an option, they would cut the packet short
            if (code <= DhcpOptionCode.PAD || code >= DhcpOptionCode.END) {
                throw new IllegalArgumentException("option code must be 1..254, not " + code);
            }
            if (value == null) {
                throw new IllegalArgumentException("option " + code + " needs a value");
            }
        }
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
