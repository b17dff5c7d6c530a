package io.fabricipam.dhcp.scope;

import io.fabricipam.dhcp.net.Ipv4Address;
import java.util.List;

/** The DHCP options a scope hands out besides addressing. Absent values are null or empty lists. */
public record ScopeOptions(
        List<Ipv4Address> dnsServers,
        String domainName,
        List<String> searchDomains,
        List<Ipv4Address> ntpServers,
        Integer mtu,
        List<StaticRoute> staticRoutes,
        String tftpServer,
        String bootFile,
        List<CustomOption> custom) {

    public static final ScopeOptions NONE = new ScopeOptions(null, null, null, null, null, null, null, null, null);

    public ScopeOptions {
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        searchDomains = searchDomains == null ? List.of() : List.copyOf(searchDomains);
        ntpServers = ntpServers == null ? List.of() : List.copyOf(ntpServers);
        staticRoutes = staticRoutes == null ? List.of() : List.copyOf(staticRoutes);
        custom = custom == null ? List.of() : List.copyOf(custom);
    }
}
