package io.fabricipam.dhcp.server;

import static io.fabricipam.dhcp.codec.DhcpOptionCode.*;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.codec.DhcpReply;
import io.fabricipam.dhcp.codec.DhcpRequest;
import io.fabricipam.dhcp.codec.OptionValues;
import io.fabricipam.dhcp.codec.ReplyDestination;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.scope.Scope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a reply's options in order: message type and server identifier, lease times, then what the client
 * asked for in the order of its option 55, then the scope's other options, then the echoes RFC 6842
 * (client identifier) and RFC 3046 (relay agent information) require. The codec leaves out optional options
 * from the end when the client's size limit is reached, so unrequested options go first.
 */
final class ReplyBuilder {

    private ReplyBuilder() {
    }

    static DhcpReply offerOrAck(DhcpMessageType type, DhcpRequest request, Scope scope, ScopeOptionSet set,
            Ipv4Address serverId, Ipv4Address yiaddr, String hostname) {
        List<DhcpReply.Option> options = new ArrayList<>(24);
        options.add(essential(MESSAGE_TYPE, new byte[] {(byte) type.code()}));
        options.add(essential(SERVER_IDENTIFIER, serverId.toBytes()));
        options.add(essential(LEASE_TIME, OptionValues.uint32(scope.leaseTime())));
        options.add(essential(RENEWAL_TIME, OptionValues.uint32(scope.effectiveRenewalTime())));
        options.add(essential(REBINDING_TIME, OptionValues.uint32(scope.effectiveRebindingTime())));
        addConfiguration(options, request, set, hostname);
        addEchoes(options, request);
        return new DhcpReply(type, request, yiaddr, set.nextServer(), set.bootFileName(), options,
                ReplyDestination.forReply(request, type, yiaddr));
    }

    /** RFC 2131 §3.4: a DHCPACK to DHCPINFORM carries configuration but no address and no lease time. */
    static DhcpReply informAck(DhcpRequest request, ScopeOptionSet set, Ipv4Address serverId) {
        List<DhcpReply.Option> options = new ArrayList<>(20);
        options.add(essential(MESSAGE_TYPE, new byte[] {(byte) DhcpMessageType.ACK.code()}));
        options.add(essential(SERVER_IDENTIFIER, serverId.toBytes()));
        addConfiguration(options, request, set, null);
        addEchoes(options, request);
        return new DhcpReply(DhcpMessageType.ACK, request, null, set.nextServer(), set.bootFileName(), options,
                ReplyDestination.forReply(request, DhcpMessageType.ACK, null));
    }

    static DhcpReply nak(DhcpRequest request, Ipv4Address serverId, String message) {
        List<DhcpReply.Option> options = new ArrayList<>(5);
        options.add(essential(MESSAGE_TYPE, new byte[] {(byte) DhcpMessageType.NAK.code()}));
        options.add(essential(SERVER_IDENTIFIER, serverId.toBytes()));
        options.add(new DhcpReply.Option(MESSAGE, message.getBytes(StandardCharsets.US_ASCII), false));
        addEchoes(options, request);
        return new DhcpReply(DhcpMessageType.NAK, request, null, null, null, options,
                ReplyDestination.forReply(request, DhcpMessageType.NAK, null));
    }

    private static void addConfiguration(List<DhcpReply.Option> options, DhcpRequest request, ScopeOptionSet set,
            String hostname) {
        boolean[] added = new boolean[256];
        for (DhcpReply.Option o : options) {
            added[o.code()] = true;
        }
        // requested options first, in the client's order
        for (int code : request.parameterRequestList()) {
            if (added[code]) {
                continue;
            }
            byte[] value = code == HOSTNAME ? hostnameValue(hostname) : set.get(code);
            if (value != null) {
                options.add(new DhcpReply.Option(code, value, isEssential(code)));
                added[code] = true;
            }
        }
        for (int code : set.codes()) {
            if (!added[code]) {
                options.add(new DhcpReply.Option(code, set.get(code), isEssential(code)));
                added[code] = true;
            }
        }
        if (!added[HOSTNAME] && hostname != null) {
            options.add(new DhcpReply.Option(HOSTNAME, hostnameValue(hostname), false));
        }
    }

    private static byte[] hostnameValue(String hostname) {
        return hostname == null ? null : hostname.getBytes(StandardCharsets.US_ASCII);
    }

    private static void addEchoes(List<DhcpReply.Option> options, DhcpRequest request) {
        byte[] clientId = request.clientIdentifier();
        if (clientId != null) {
            options.add(essential(CLIENT_IDENTIFIER, clientId));
        }
        byte[] relayInfo = request.relayAgentInformation();
        if (relayInfo != null) {
            options.add(essential(RELAY_AGENT_INFORMATION, relayInfo)); // RFC 3046: last
        }
    }

    /** The options without which the client cannot configure its interface. */
    private static boolean isEssential(int code) {
        return code == SUBNET_MASK || code == ROUTER;
    }

    private static DhcpReply.Option essential(int code, byte[] value) {
        return new DhcpReply.Option(code, value, true);
    }
}
