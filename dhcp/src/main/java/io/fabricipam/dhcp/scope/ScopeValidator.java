package io.fabricipam.dhcp.scope;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules a scope must satisfy on its own (overlap with other scopes is the registry's business).
 * Returns every violation at once, each naming its field, so an API caller can fix them in one go; the work
 * and the number of violations grow linearly with the size of the scope (ranges are capped at
 * {@link #MAX_POOLS} and {@link #MAX_EXCLUSIONS}). Accepts no option value the DHCP encoder would refuse.
 */
public final class ScopeValidator {

    /** Smallest network a scope may cover; /8 is 16 M addresses, the most the allocator indexes. */
    public static final int MIN_PREFIX = 8;
    public static final int MAX_PREFIX = 30;
    public static final long MIN_LEASE_TIME = 10;
    /** 0xffffffff means "infinite" in option 51; we never hand out infinite leases. */
    public static final long MAX_LEASE_TIME = 0xfffffffeL;

    /**
     * Most pools a scope may have. Real scopes have a handful; the cap bounds what one request can make the
     * server validate, store and hold (and every pool is a row the utilization reports on).
     */
    public static final int MAX_POOLS = 1024;
    /** Most exclusions a scope may have (more are allowed than pools: they punch single addresses out). */
    public static final int MAX_EXCLUSIONS = 4096;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

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
        checkRanges(v, "pools", scope.pools(), MAX_POOLS, net, true);
        checkRanges(v, "exclusions", scope.exclusions(), MAX_EXCLUSIONS, net, false);
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
        checkOptions(v, scope);
        return v;
    }

    /**
     * Each range inside the network; for pools also pairwise disjoint, found by sorting and one sweep
     * (O(n log n)): each range that overlaps a range starting before it is reported once, against the range
     * reaching furthest so far, so n identical ranges give n - 1 violations, not n²/2.
     */
    private static void checkRanges(List<Violation> v, String field, List<AddressRange> ranges, int max,
            Ipv4Network net, boolean disjoint) {
        if (ranges.size() > max) {
            v.add(new Violation(field, "at most " + max + " ranges, not " + ranges.size()));
            return;
        }
        for (int i = 0; i < ranges.size(); i++) {
            AddressRange r = ranges.get(i);
            if (!net.isHostAddress(r.start())) {
                v.add(new Violation(field + "[" + i + "].start", r.start() + " is not a host address of " + net));
            }
            if (!net.isHostAddress(r.end())) {
                v.add(new Violation(field + "[" + i + "].end", r.end() + " is not a host address of " + net));
            }
        }
        if (disjoint && ranges.size() > 1) {
            Integer[] order = new Integer[ranges.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparing((Integer i) -> ranges.get(i).start()).thenComparing(i -> i));
            int furthest = order[0];
            List<Violation> overlaps = new ArrayList<>();
            for (int k = 1; k < order.length; k++) {
                int i = order[k];
                AddressRange r = ranges.get(i);
                AddressRange f = ranges.get(furthest);
                if (r.start().compareTo(f.end()) <= 0) {
                    // name the later of the two in the request, as a reader scanning it top-down meets it
                    int later = Math.max(i, furthest);
                    int earlier = Math.min(i, furthest);
                    overlaps.add(new Violation(field + "[" + later + "]", ranges.get(later) + " overlaps " + field + "["
                            + earlier + "] " + ranges.get(earlier)));
                }
                if (r.end().compareTo(f.end()) > 0) {
                    furthest = i;
                }
            }
            overlaps.sort(Comparator.comparingInt(x -> index(x.field())));
            v.addAll(overlaps);
        }
    }

    private static int index(String field) {
        return Integer.parseInt(field.substring(field.lastIndexOf('[') + 1, field.length() - 1));
    }

    /** Everything the DHCP encoder checks, through the encoder's own rules ({@link OptionEncoding}). */
    private static void checkOptions(List<Violation> v, Scope scope) {
        v.addAll(OptionEncoding.encode(scope.options(), scope.gateway()).violations());
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
        if (hostname != null && !OptionEncoding.isDomainName(hostname)) {
            v.add(new Violation("hostname", Violation.quote(hostname) + " is not a host name"));
        }
        return v;
    }

    /** True when {@code address} may never be handed out dynamically in {@code scope}. */
    public static boolean isSpecial(Scope scope, Ipv4Address address) {
        return !scope.network().isHostAddress(address) || address.equals(scope.gateway())
                || address.equals(scope.serverIdentifier());
    }
}
