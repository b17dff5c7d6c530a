package io.fabricipam.dhcp.server;

import static io.fabricipam.dhcp.codec.DhcpOptionCode.*;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.CustomOption;
import io.fabricipam.dhcp.scope.OptionEncoding;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeOptions;
import io.fabricipam.dhcp.scope.Violation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encoded option values of one scope version, built once when the scope is loaded or changed so that
 * answering a client only copies references. Order is the default order for clients without option 55.
 */
public final class ScopeOptionSet {

    private final Map<Integer, byte[]> values;
    private final Ipv4Address nextServer;
    private final String bootFileName;

    private ScopeOptionSet(Map<Integer, byte[]> values, Ipv4Address nextServer, String bootFileName) {
        this.values = values;
        this.nextServer = nextServer;
        this.bootFileName = bootFileName;
    }

    /**
     * Encodes {@code scope}'s options through {@link OptionEncoding}, the rule {@code ScopeValidator} applies
     * before a scope is saved; throws IllegalArgumentException naming the field when a value cannot be sent.
     */
    public static ScopeOptionSet of(Scope scope) {
        ScopeOptions o = scope.options();
        OptionEncoding.Encoded encoded = OptionEncoding.encode(o, scope.gateway());
        if (!encoded.violations().isEmpty()) {
            Violation first = encoded.violations().get(0);
            throw new IllegalArgumentException("scope " + scope.name() + ": " + first.field() + " " + first.message());
        }
        Map<Integer, byte[]> e = encoded.values();
        Map<Integer, byte[]> v = new LinkedHashMap<>();
        Ipv4Network net = scope.network();
        v.put(SUBNET_MASK, net.mask().toBytes());
        if (scope.gateway() != null) {
            v.put(ROUTER, scope.gateway().toBytes());
        }
        putIfSet(v, e, DNS_SERVERS);
        putIfSet(v, e, DOMAIN_NAME);
        putIfSet(v, e, INTERFACE_MTU);
        v.put(BROADCAST_ADDRESS, net.broadcast().toBytes());
        putIfSet(v, e, NTP_SERVERS);
        putIfSet(v, e, TFTP_SERVER_NAME);
        putIfSet(v, e, BOOTFILE_NAME);
        putIfSet(v, e, DOMAIN_SEARCH);
        putIfSet(v, e, CLASSLESS_STATIC_ROUTE);
        for (CustomOption c : o.custom()) {
            v.put(c.code(), e.get(c.code()));
        }
        Ipv4Address nextServer = null;
        if (o.tftpServer() != null) {
            try {
                nextServer = Ipv4Address.parse(o.tftpServer());
            } catch (IllegalArgumentException notAnAddress) {
                nextServer = null; // a host name: only option 66 carries it
            }
        }
        return new ScopeOptionSet(Collections.unmodifiableMap(v), nextServer, o.bootFile());
    }

    private static void putIfSet(Map<Integer, byte[]> target, Map<Integer, byte[]> encoded, int code) {
        byte[] value = encoded.get(code);
        if (value != null) {
            target.put(code, value);
        }
    }

    public byte[] get(int code) {
        return values.get(code);
    }

    public Iterable<Integer> codes() {
        return values.keySet();
    }

    /** siaddr: the TFTP server when it is given as an address. */
    public Ipv4Address nextServer() {
        return nextServer;
    }

    public String bootFileName() {
        return bootFileName;
    }
}
