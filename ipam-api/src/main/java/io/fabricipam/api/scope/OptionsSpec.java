package io.fabricipam.api.scope;

import java.util.List;

/** A scope's DHCP options as written in configuration files and REST bodies. */
public record OptionsSpec(
        List<String> dnsServers,
        String domainName,
        List<String> searchDomains,
        List<String> ntpServers,
        Integer mtu,
        List<RouteSpec> staticRoutes,
        String tftpServer,
        String bootFile,
        List<CustomOptionSpec> custom) {
}
