package io.fabricipam.api.scope;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.CustomOption;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeOptions;
import io.fabricipam.dhcp.scope.ScopeValidator;
import io.fabricipam.dhcp.scope.StaticRoute;
import io.fabricipam.dhcp.scope.Violation;
import io.fabricipam.dhcp.server.ScopeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Converts between what operators write ({@link ScopeSpec}) and the scope model. Parsing collects every
 * malformed field (with its path, e.g. {@code pools[1].end}) and fails once with all of them.
 */
public final class ScopeSpecs {

    private ScopeSpecs() {
    }

    /** Parses {@code spec} into a scope with the given id and version; throws {@link ScopeException} INVALID. */
    public static Scope toScope(ScopeSpec spec, UUID id, long version) {
        Parser p = new Parser();
        String name = p.required("name", spec.name());
        Ipv4Network network = p.parse("network", spec.network(), Ipv4Network::parse, true);
        Ipv4Address gateway = p.parse("gateway", spec.gateway(), Ipv4Address::parse, false);
        List<AddressRange> pools = p.ranges("pools", spec.pools());
        List<AddressRange> exclusions = p.ranges("exclusions", spec.exclusions());
        ScopeOptions options = options(p, spec.options());
        Ipv4Address serverId = p.parse("serverIdentifier", spec.serverIdentifier(), Ipv4Address::parse, false);
        MacAddress serverMac = p.parse("serverMac", spec.serverMac(), MacAddress::parse, false);
        p.throwIfAny();
        return new Scope(id, name, network, gateway, spec.vlan() == null ? 0 : spec.vlan(), pools, exclusions,
                spec.leaseTime() == null ? Scope.DEFAULT_LEASE_TIME : spec.leaseTime(), spec.renewalTime(),
                spec.rebindingTime(), options, serverId, serverMac, version);
    }

    private static ScopeOptions options(Parser p, OptionsSpec o) {
        if (o == null) {
            return ScopeOptions.NONE;
        }
        List<Ipv4Address> dns = p.list("options.dnsServers", o.dnsServers(), Ipv4Address::parse);
        List<Ipv4Address> ntp = p.list("options.ntpServers", o.ntpServers(), Ipv4Address::parse);
        List<StaticRoute> routes = new ArrayList<>();
        if (o.staticRoutes() != null) {
            for (int i = 0; i < o.staticRoutes().size(); i++) {
                RouteSpec r = o.staticRoutes().get(i);
                String f = "options.staticRoutes[" + i + "]";
                Ipv4Network dest = p.parse(f + ".destination", r == null ? null : r.destination(), Ipv4Network::parse, true);
                Ipv4Address router = p.parse(f + ".router", r == null ? null : r.router(), Ipv4Address::parse, true);
                if (dest != null && router != null) {
                    routes.add(new StaticRoute(dest, router));
                }
            }
        }
        List<CustomOption> custom = new ArrayList<>();
        if (o.custom() != null) {
            for (int i = 0; i < o.custom().size(); i++) {
                CustomOptionSpec c = o.custom().get(i);
                String f = "options.custom[" + i + "]";
                if (c == null || c.code() == null) {
                    p.violation(f + ".code", "an option code is required");
                    continue;
                }
                try {
                    custom.add(new CustomOption(c.code(), CustomOption.Type.parse(c.type()), c.value()));
                } catch (IllegalArgumentException e) {
                    p.violation(f, e.getMessage());
                }
            }
        }
        List<String> search = new ArrayList<>();
        if (o.searchDomains() != null) {
            for (int i = 0; i < o.searchDomains().size(); i++) {
                String d = o.searchDomains().get(i);
                if (d == null) {
                    p.violation("options.searchDomains[" + i + "]", "is required");
                } else {
                    search.add(d);
                }
            }
        }
        return new ScopeOptions(dns, o.domainName(), search, ntp, o.mtu(), routes, o.tftpServer(), o.bootFile(), custom);
    }

    /** A new scope and the reservations to make in it, both checked. */
    public record Draft(Scope scope, List<Reservation> reservations) {
    }

    /**
     * Parses and checks a new scope with its reservations before anything is saved: the scope's own rules
     * ({@link ScopeValidator}), and each reservation against that scope and the others (one address and one
     * MAC each), so that a create either makes all of it or nothing. Throws INVALID with every violation.
     */
    public static Draft draft(ScopeSpec spec, UUID id) {
        List<Violation> violations = new ArrayList<>();
        Scope scope = null;
        List<Reservation> reservations = List.of();
        try {
            scope = toScope(spec, id, 0);
            violations.addAll(ScopeValidator.validate(scope));
        } catch (ScopeException e) {
            violations.addAll(e.violations());
        }
        try {
            reservations = reservations(spec, id);
        } catch (ScopeException e) {
            violations.addAll(e.violations());
        }
        if (scope != null) {
            Map<MacAddress, Integer> macs = new HashMap<>();
            Map<Ipv4Address, Integer> addresses = new HashMap<>();
            for (int i = 0; i < reservations.size(); i++) {
                Reservation r = reservations.get(i);
                String f = "reservations[" + i + "]";
                for (Violation v : ScopeValidator.validateReservation(scope, r.address(), r.hostname())) {
                    violations.add(new Violation(f + "." + v.field(), v.message()));
                }
                Integer sameMac = macs.putIfAbsent(r.mac(), i);
                if (sameMac != null) {
                    violations.add(new Violation(f + ".mac", r.mac() + " is reserved in reservations[" + sameMac + "] too"));
                }
                Integer sameAddress = addresses.putIfAbsent(r.address(), i);
                if (sameAddress != null) {
                    violations.add(new Violation(f + ".ip", r.address() + " is reserved in reservations[" + sameAddress + "] too"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw ScopeException.invalid(violations);
        }
        return new Draft(scope, reservations);
    }

    /** The reservations of {@code spec}, parsed, for the scope {@code scopeId}. */
    public static List<Reservation> reservations(ScopeSpec spec, UUID scopeId) {
        Parser p = new Parser();
        List<Reservation> out = new ArrayList<>();
        if (spec.reservations() != null) {
            for (int i = 0; i < spec.reservations().size(); i++) {
                ReservationSpec r = spec.reservations().get(i);
                String f = "reservations[" + i + "]";
                MacAddress mac = p.parse(f + ".mac", r == null ? null : r.mac(), MacAddress::parse, true);
                Ipv4Address ip = p.parse(f + ".ip", r == null ? null : r.ip(), Ipv4Address::parse, true);
                if (mac != null && ip != null) {
                    out.add(new Reservation(scopeId, mac, ip, r.hostname()));
                }
            }
        }
        p.throwIfAny();
        return out;
    }

    /** The scope as operators write it (reservations not included). */
    public static ScopeSpec toSpec(Scope s) {
        ScopeOptions o = s.options();
        OptionsSpec options = new OptionsSpec(strings(o.dnsServers()), o.domainName(), o.searchDomains(),
                strings(o.ntpServers()), o.mtu(),
                o.staticRoutes().stream().map(r -> new RouteSpec(r.destination().toString(), r.router().toString())).toList(),
                o.tftpServer(), o.bootFile(),
                o.custom().stream().map(c -> new CustomOptionSpec(c.code(), c.type().name().toLowerCase(), c.value())).toList());
        return new ScopeSpec(s.name(), s.network().toString(), str(s.gateway()), s.vlan(),
                s.pools().stream().map(ScopeSpecs::range).toList(), s.exclusions().stream().map(ScopeSpecs::range).toList(),
                s.leaseTime(), s.renewalTime(), s.rebindingTime(), options, str(s.serverIdentifier()), str(s.serverMac()), null);
    }

    private static RangeSpec range(AddressRange r) {
        return new RangeSpec(r.start().toString(), r.end().toString());
    }

    private static List<String> strings(List<?> values) {
        return values.stream().map(Object::toString).toList();
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** Collects violations while parsing text fields. */
    private static final class Parser {
        private final List<Violation> violations = new ArrayList<>();

        void violation(String field, String message) {
            violations.add(new Violation(field, message));
        }

        String required(String field, String value) {
            if (value == null || value.isBlank()) {
                violation(field, "is required");
                return "";
            }
            return value;
        }

        <T> T parse(String field, String value, Function<String, T> parser, boolean required) {
            if (value == null || value.isBlank()) {
                if (required) {
                    violation(field, "is required");
                }
                return null;
            }
            try {
                return parser.apply(value.trim());
            } catch (IllegalArgumentException e) {
                violation(field, e.getMessage());
                return null;
            }
        }

        <T> List<T> list(String field, List<String> values, Function<String, T> parser) {
            List<T> out = new ArrayList<>();
            if (values != null) {
                for (int i = 0; i < values.size(); i++) {
                    T v = parse(field + "[" + i + "]", values.get(i), parser, true);
                    if (v != null) {
                        out.add(v);
                    }
                }
            }
            return out;
        }

        List<AddressRange> ranges(String field, List<RangeSpec> specs) {
            List<AddressRange> out = new ArrayList<>();
            if (specs != null) {
                for (int i = 0; i < specs.size(); i++) {
                    RangeSpec r = specs.get(i);
                    String f = field + "[" + i + "]";
                    Ipv4Address start = parse(f + ".start", r == null ? null : r.start(), Ipv4Address::parse, true);
                    Ipv4Address end = parse(f + ".end", r == null ? null : r.end(), Ipv4Address::parse, true);
                    if (start != null && end != null) {
                        if (start.compareTo(end) > 0) {
                            violation(f, "start " + start + " is after end " + end);
                        } else {
                            out.add(new AddressRange(start, end));
                        }
                    }
                }
            }
            return out;
        }

        void throwIfAny() {
            if (!violations.isEmpty()) {
                throw ScopeException.invalid(violations);
            }
        }
    }
}
