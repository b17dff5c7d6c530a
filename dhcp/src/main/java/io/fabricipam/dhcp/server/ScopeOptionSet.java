package io.fabricipam.dhcp.server;

import static io.fabricipam.dhcp.codec.DhcpOptionCode.*;

import io.fabricipam.dhcp.codec.OptionValues;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.CustomOption;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeOptions;
import io.fabricipam.dhcp.scope.StaticRoute;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

    public static ScopeOptionSet of(Scope scope) {
        ScopeOptions o = scope.options();
        Map<Integer, byte[]> v = new LinkedHashMap<>();
        Ipv4Network net = scope.network();
        v.put(SUBNET_MASK, net.mask().toBytes());
        if (scope.gateway() != null) {
            v.put(ROUTER, scope.gateway().toBytes());
        }
        if (!o.dnsServers().isEmpty()) {
            v.put(DNS_SERVERS, OptionValues.addresses(o.dnsServers()));
        }
        if (o.domainName() != null) {
            v.put(DOMAIN_NAME, OptionValues.ascii(o.domainName()));
        }
        if (o.mtu() != null) {
            v.put(INTERFACE_MTU, OptionValues.uint16(o.mtu()));
        }
        v.put(BROADCAST_ADDRESS, net.broadcast().toBytes());
        if (!o.ntpServers().isEmpty()) {
            v.put(NTP_SERVERS, OptionValues.addresses(o.ntpServers()));
        }
        if (o.tftpServer() != null) {
            v.put(TFTP_SERVER_NAME, OptionValues.ascii(o.tftpServer()));
        }
        if (o.bootFile() != null) {
            v.put(BOOTFILE_NAME, OptionValues.ascii(o.bootFile()));
        }
        if (!o.searchDomains().isEmpty()) {
            v.put(DOMAIN_SEARCH, OptionValues.domainSearch(o.searchDomains()));
        }
        if (!o.staticRoutes().isEmpty()) {
            v.put(CLASSLESS_STATIC_ROUTE, OptionValues.classlessRoutes(withDefaultRoute(o.staticRoutes(), scope.gateway())));
        }
        for (CustomOption c : o.custom()) {
            v.put(c.code(), c.encoded());
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

    /**
     * RFC 3442 §3: a client that receives option 121 ignores option 3, so the default route via the
     * gateway must travel inside option 121 too.
     */
    private static List<StaticRoute> withDefaultRoute(List<StaticRoute> routes, Ipv4Address gateway) {
        boolean hasDefault = routes.stream().anyMatch(r -> r.destination().prefixLength() == 0);
        if (hasDefault || gateway == null) {
            return routes;
        }
        List<StaticRoute> all = new ArrayList<>(routes);
        all.add(new StaticRoute(new Ipv4Network(Ipv4Address.ANY, 0), gateway));
        return all;
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
