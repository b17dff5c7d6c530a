package io.fabricipam.dhcp.scope;

import static io.fabricipam.dhcp.codec.DhcpOptionCode.CLASSLESS_STATIC_ROUTE;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.DNS_SERVERS;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.DOMAIN_NAME;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.DOMAIN_SEARCH;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.INTERFACE_MTU;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.NTP_SERVERS;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.TFTP_SERVER_NAME;
import static io.fabricipam.dhcp.codec.DhcpOptionCode.BOOTFILE_NAME;

import io.fabricipam.dhcp.codec.OptionValues;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A scope's own options ({@link ScopeOptions}) as DHCP sends them (RFC 2132 types, RFC 3397 search list,
 * RFC 3442 routes), or every field that cannot be sent, named as the API names it ({@code options.bootFile}).
 *
 * <p>The one place that decides what an option value may be: {@link ScopeValidator} reports these violations
 * before a scope is saved, and the server's {@code ScopeOptionSet} encodes through here, so a scope that was
 * accepted always loads and answers, and a value the encoder would refuse is never saved.
 */
public final class OptionEncoding {

    /** RFC 2132 §3.8/§8.3: more servers than this do not fit any client's reply in practice. */
    public static final int MAX_SERVERS = 16;
    /** RFC 2132 §5.1: the smallest MTU IPv4 allows. */
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;
    /** Longest TFTP server name and boot file name (one option's length octet). */
    public static final int MAX_TEXT = 255;

    /** A host or domain name: labels of letters, digits, '_' and '-', at most 63 each and 253 in all. */
    static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

    private OptionEncoding() {
    }

    /**
     * The encoded values by option code (only options that are set), and what cannot be encoded.
     *
     * @param values     option code -> value; complete only when {@code violations} is empty
     * @param violations fields that cannot be sent, each with the reason
     */
    public record Encoded(Map<Integer, byte[]> values, List<Violation> violations) {
    }

    /** Encodes every option of {@code o}; routes get the default route via {@code gateway} (RFC 3442 §3). */
    public static Encoded encode(ScopeOptions o, Ipv4Address gateway) {
        Map<Integer, byte[]> values = new HashMap<>();
        List<Violation> violations = new ArrayList<>();
        if (o.dnsServers().size() > MAX_SERVERS) {
            violations.add(new Violation("options.dnsServers", "at most " + MAX_SERVERS + " servers"));
        } else if (!o.dnsServers().isEmpty()) {
            values.put(DNS_SERVERS, OptionValues.addresses(o.dnsServers()));
        }
        if (o.ntpServers().size() > MAX_SERVERS) {
            violations.add(new Violation("options.ntpServers", "at most " + MAX_SERVERS + " servers"));
        } else if (!o.ntpServers().isEmpty()) {
            values.put(NTP_SERVERS, OptionValues.addresses(o.ntpServers()));
        }
        if (o.domainName() != null) {
            if (isDomainName(o.domainName())) {
                put(values, violations, DOMAIN_NAME, "options.domainName", () -> OptionValues.ascii(o.domainName()));
            } else {
                violations.add(new Violation("options.domainName", Violation.quote(o.domainName()) + " is not a domain name"));
            }
        }
        boolean searchOk = true;
        for (int i = 0; i < o.searchDomains().size(); i++) {
            String d = o.searchDomains().get(i);
            if (!isDomainName(d)) {
                violations.add(new Violation("options.searchDomains[" + i + "]", Violation.quote(d) + " is not a domain name"));
                searchOk = false;
            }
        }
        if (searchOk && !o.searchDomains().isEmpty()) {
            put(values, violations, DOMAIN_SEARCH, "options.searchDomains", () -> OptionValues.domainSearch(o.searchDomains()));
        }
        if (o.mtu() != null) {
            if (o.mtu() < MIN_MTU || o.mtu() > MAX_MTU) {
                violations.add(new Violation("options.mtu", "must be " + MIN_MTU + " to " + MAX_MTU + " (RFC 2132 §5.1)"));
            } else {
                values.put(INTERFACE_MTU, OptionValues.uint16(o.mtu()));
            }
        }
        text(values, violations, TFTP_SERVER_NAME, "options.tftpServer", o.tftpServer());
        text(values, violations, BOOTFILE_NAME, "options.bootFile", o.bootFile());
        if (!o.staticRoutes().isEmpty()) {
            values.put(CLASSLESS_STATIC_ROUTE, OptionValues.classlessRoutes(withDefaultRoute(o.staticRoutes(), gateway)));
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < o.custom().size(); i++) {
            CustomOption c = o.custom().get(i);
            if (!seen.add(c.code())) {
                violations.add(new Violation("options.custom[" + i + "].code", "option " + c.code() + " is given twice"));
            } else {
                put(values, violations, c.code(), "options.custom[" + i + "]", c::encoded);
            }
        }
        return new Encoded(Collections.unmodifiableMap(values), List.copyOf(violations));
    }

    /** True for a host or domain name DHCP can carry (options 12, 15, 119): printable ASCII labels. */
    public static boolean isDomainName(String name) {
        return name != null && DOMAIN.matcher(name).matches();
    }

    /** Option 66 or 67: 1 to {@link #MAX_TEXT} printable ASCII characters. */
    private static void text(Map<Integer, byte[]> values, List<Violation> violations, int code, String field,
            String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank() || value.length() > MAX_TEXT) {
            violations.add(new Violation(field, "must be 1-" + MAX_TEXT + " characters"));
            return;
        }
        put(values, violations, code, field, () -> OptionValues.ascii(value));
    }

    /** The codec's own check is the rule: what it refuses becomes a violation of {@code field}. */
    private static void put(Map<Integer, byte[]> values, List<Violation> violations, int code, String field,
            Supplier<byte[]> encoder) {
        try {
            values.put(code, encoder.get());
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(field, reason(e)));
        }
    }

    /** The codec's messages quote the whole value; name the problem and quote a bounded part instead. */
    private static String reason(IllegalArgumentException e) {
        String m = e.getMessage() == null ? "cannot be encoded" : e.getMessage();
        int quote = m.indexOf('\'');
        int end = m.lastIndexOf('\'');
        if (quote >= 0 && end > quote) {
            String inner = m.substring(quote + 1, end);
            return (m.substring(0, quote) + Violation.quote(inner) + m.substring(end + 1)).trim();
        }
        return m;
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
}
