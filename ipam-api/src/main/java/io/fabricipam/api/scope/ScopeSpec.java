package io.fabricipam.api.scope;

import java.util.List;

/**
 * A scope as operators write it, in {@code fabric.scopes[n]} of the configuration file and in REST bodies:
 * <pre>
 * {"name": "lab", "network": "10.20.0.0/24", "gateway": "10.20.0.1", "vlan": 0,
 *  "pools": [{"start": "10.20.0.100", "end": "10.20.0.199"}], "leaseTime": 3600,
 *  "options": {"dnsServers": ["10.20.0.53"], "domainName": "lab.example", "searchDomains": ["lab.example"]}}
 * </pre>
 * Times are in seconds. Everything is text here; {@link ScopeSpecs} parses it and names the field at fault.
 */
public record ScopeSpec(
        String name,
        String network,
        String gateway,
        Integer vlan,
        List<RangeSpec> pools,
        List<RangeSpec> exclusions,
        Long leaseTime,
        Long renewalTime,
        Long rebindingTime,
        OptionsSpec options,
        String serverIdentifier,
        String serverMac,
        List<ReservationSpec> reservations) {
}
