package io.fabricipam.dhcp.scope;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules a scope must satisfy on its own (overlap with other scopes is the registry's business).
 * Returns every violation at once, each naming its field, so an API caller can fix them in one go.
 */
public final class ScopeValidator {

    /** Smallest network a scope may cover; /8 is 16 M addresses, the most the allocator indexes. */
    public static final int MIN_PREFIX = 8;
    public static final int MAX_PREFIX = 30;
    public static final long MIN_LEASE_TIME = 10;
    /** 0xffffffff means "infinite" in option 51; we never hand out infinite leases. */
    public static final long MAX_LEASE_TIME = 0xfffffffeL;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

    private ScopeValidator() {
    }

    public static List<Violation> validate(Scope scope) {
        List<Violation> v = new ArrayList<>();
        if (!NAME.matcher(scope.name()).matches()) {
            v.add(new Violation("name", "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        Ipv4Network net = scope.network();
        if (net.prefixLength() < MIN_PREFIX || net.prefixLength() > MAX_PREFIX) {
            v.add(new Violation("network", "prefix length must be /" + MIN_PREFIX + " to /" + MAX_PREFIX + ", not /"
                    + net.prefixLength()));
        }
        if (scope.gateway() != null && !net.isHostAddress(scope.gateway())) {
            v.add(new Violation("gateway", scope.gateway() + " is not a host address of " + net));
        }
        if (scope.vlan() < 0 || scope.vlan() > 4094) {
            v.add(new Violation("vlan", "must be 0 (untagged) to 4094, not " + scope.vlan()));
        }
        checkRanges(v, "pools", scope.pools(), net, true);
        checkRanges(v, "exclusions", scope.exclusions(), net, false);
        if (scope.leaseTime() < MIN_LEASE_TIME || scope.leaseTime() > MAX_LEASE_TIME) {
            v.add(new Violation("leaseTime", "must be " + MIN_LEASE_TIME + " to " + MAX_LEASE_TIME + " seconds"));
        } else {
            Long t1 = scope.renewalTime();
            Long t2 = scope.rebindingTime();
            if (t1 != null && (t1 <= 0 || t1 >= scope.leaseTime())) {
                v.add(new Violation("renewalTime", "T1 must be positive and less than the lease time"));
            }
            if (t2 != null && (t2 <= 0 || t2 >= scope.leaseTime())) {
                v.add(new Violation("rebindingTime", "T2 must be positive and less than the lease time"));
            }
            if (t1 != null && t2 != null && t1 >= t2) {
                v.add(new Violation("renewalTime", "T1 must be less than T2"));
            }
        }
        checkOptions(v, scope.options());
        return v;
    }

    private static void checkRanges(List<Violation> v, String field, List<AddressRange> ranges, Ipv4Network net,
            boolean disjoint) {
        for (int i = 0; i < ranges.size(); i++) {
            AddressRange r = ranges.get(i);
            if (!net.isHostAddress(r.start())) {
                v.add(new Violation(field + "[" + i + "].start", r.start() + " is not a host address of " + net));
            }
            if (!net.isHostAddress(r.end())) {
                v.add(new Violation(field + "[" + i + "].end", r.end() + " is not a host address of " + net));
            }
            if (disjoint) {
                for (int j = 0; j < i; j++) {
                    if (ranges.get(j).overlaps(r)) {
                        v.add(new Violation(field + "[" + i + "]", r + " overlaps " + field + "[" + j + "] " + ranges.get(j)));
                    }
                }
            }
        }
    }

    private static void checkOptions(List<Violation> v, ScopeOptions o) {
        if (o.dnsServers().size() > 16) {
            v.add(new Violation("options.dnsServers", "at most 16 servers"));
        }
        if (o.ntpServers().size() > 16) {
            v.add(new Violation("options.ntpServers", "at most 16 servers"));
        }
        if (o.domainName() != null && !DOMAIN.matcher(o.domainName()).matches()) {
            v.add(new Violation("options.domainName", "'" + o.domainName() + "' is not a domain name"));
        }
        for (int i = 0; i < o.searchDomains().size(); i++) {
            String d = o.searchDomains().get(i);
            if (d == null || !DOMAIN.matcher(d).matches()) {
                v.add(new Violation("options.searchDomains[" + i + "]", "'" + d + "' is not a domain name"));
            }
        }
        if (o.mtu() != null && (o.mtu() < 68 || o.mtu() > 65535)) {
            v.add(new Violation("options.mtu", "must be 68 to 65535 (RFC 2132 §5.1)"));
        }
        if (o.tftpServer() != null && (o.tftpServer().isBlank() || o.tftpServer().length() > 255)) {
            v.add(new Violation("options.tftpServer", "must be 1-255 characters"));
        }
        if (o.bootFile() != null && (o.bootFile().isBlank() || o.bootFile().length() > 255)) {
            v.add(new Violation("options.bootFile", "must be 1-255 characters"));
        }
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < o.custom().size(); i++) {
            if (!seen.add(o.custom().get(i).code())) {
                v.add(new Violation("options.custom[" + i + "].code", "option " + o.custom().get(i).code() + " is given twice"));
            }
        }
    }

    /** Rules for a reservation in {@code scope}: inside the network, a host address, not the gateway. */
    public static List<Violation> validateReservation(Scope scope, Ipv4Address address, String hostname) {
        List<Violation> v = new ArrayList<>();
        if (address != null) {
            if (!scope.network().isHostAddress(address)) {
                v.add(new Violation("ip", address + " is not a host address of the scope's network " + scope.network()));
            } else if (address.equals(scope.gateway())) {
                v.add(new Violation("ip", address + " is the scope's gateway"));
            } else if (address.equals(scope.serverIdentifier())) {
                v.add(new Violation("ip", address + " is the scope's server identifier"));
            }
        }
        if (hostname != null && !DOMAIN.matcher(hostname).matches()) {
            v.add(new Violation("hostname", "'" + hostname + "' is not a host name"));
        }
        return v;
    }

    /** True when {@code address} may never be handed out dynamically in {@code scope}. */
    public static boolean isSpecial(Scope scope, Ipv4Address address) {
        return !scope.network().isHostAddress(address) || address.equals(scope.gateway())
                || address.equals(scope.serverIdentifier());
    }
}
