package io.fabricipam.api.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.CustomOption;
import io.fabricipam.dhcp.scope.ScopeOptions;
import io.fabricipam.dhcp.scope.StaticRoute;
import java.util.List;
import java.util.function.Function;

/**
 * The JSON text of a scope's options column. The document has its own records, with addresses as dotted
 * text, rather than Jackson's view of the model: what is on disk must not change when a model class gains
 * a method, and an operator can read it. Empty lists and absent values are left out.
 */
final class ScopeOptionsJson {

    /** A private mapper: the application's JSON settings (naming, inclusion) must not change stored data. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Document(List<String> dnsServers, String domainName, List<String> searchDomains, List<String> ntpServers,
            Integer mtu, List<Route> staticRoutes, String tftpServer, String bootFile, List<Custom> custom) {
    }

    record Route(String destination, String router) {
    }

    record Custom(int code, CustomOption.Type type, String value) {
    }

    private ScopeOptionsJson() {
    }

    static String write(ScopeOptions o) {
        Document d = new Document(
                list(o.dnsServers(), Ipv4Address::toString),
                o.domainName(),
                list(o.searchDomains(), Function.identity()),
                list(o.ntpServers(), Ipv4Address::toString),
                o.mtu(),
                list(o.staticRoutes(), r -> new Route(r.destination().toString(), r.router().toString())),
                o.tftpServer(),
                o.bootFile(),
                list(o.custom(), c -> new Custom(c.code(), c.type(), c.value())));
        try {
            return MAPPER.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("scope options cannot be written as JSON", e); // plain records: cannot happen
        }
    }

    static ScopeOptions read(String json) {
        Document d;
        try {
            d = MAPPER.readValue(json, Document.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored scope options are not valid: " + json, e);
        }
        return new ScopeOptions(
                list(d.dnsServers(), Ipv4Address::parse),
                d.domainName(),
                d.searchDomains(),
                list(d.ntpServers(), Ipv4Address::parse),
                d.mtu(),
                list(d.staticRoutes(), r -> new StaticRoute(Ipv4Network.parse(r.destination()), Ipv4Address.parse(r.router()))),
                d.tftpServer(),
                d.bootFile(),
                list(d.custom(), c -> new CustomOption(c.code(), c.type(), c.value())));
    }

    /** Maps a list, empty or absent becoming null (left out of the document, an empty list in the model). */
    private static <A, B> List<B> list(List<A> in, Function<A, B> f) {
        return in == null || in.isEmpty() ? null : in.stream().map(f).toList();
    }
}
