package io.fabricipam.api.scope;

import io.fabricipam.dhcp.scope.Scope;
import java.util.List;
import java.util.UUID;

/** A scope as the API returns it: the fields operators write, plus its id, version and reservation count. */
public record ScopeResponse(
        UUID id,
        long version,
        String name,
        String network,
        String gateway,
        int vlan,
        List<RangeSpec> pools,
        List<RangeSpec> exclusions,
        long leaseTime,
        long renewalTime,
        long rebindingTime,
        OptionsSpec options,
        String serverIdentifier,
        String serverMac,
        int reservationCount) {

    public static ScopeResponse of(Scope scope, int reservationCount) {
        ScopeSpec s = ScopeSpecs.toSpec(scope);
        return new ScopeResponse(scope.id(), scope.version(), s.name(), s.network(), s.gateway(), s.vlan(), s.pools(),
                s.exclusions(), scope.leaseTime(), scope.effectiveRenewalTime(), scope.effectiveRebindingTime(),
                s.options(), s.serverIdentifier(), s.serverMac(), reservationCount);
    }
}
