package io.fabricipam.api.scope;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.UnloadableScope;
import java.util.List;
import java.util.UUID;

/**
 * A scope as the API returns it: the fields operators write, plus its id, version and reservation count.
 * A stored scope that could not be loaded (not served) carries {@code loadError}, the reason, and whatever
 * of its fields could be read; every other scope has no {@code loadError}.
 */
public record ScopeResponse(
        UUID id,
        long version,
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
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer reservationCount,
        @JsonInclude(JsonInclude.Include.NON_NULL) String loadError) {

    public static ScopeResponse of(Scope scope, int reservationCount) {
        return of(scope, (Integer) reservationCount, null);
    }

    /** A scope that could not be loaded: its stored fields when they could be read, and why it is not served. */
    public static ScopeResponse of(UnloadableScope unloadable) {
        if (unloadable.scope() == null) {
            return new ScopeResponse(unloadable.id(), unloadable.version(), unloadable.name(), null, null, null, null,
                    null, null, null, null, null, null, null, null, unloadable.reason());
        }
        return of(unloadable.scope(), null, unloadable.reason());
    }

    private static ScopeResponse of(Scope scope, Integer reservationCount, String loadError) {
        ScopeSpec s = ScopeSpecs.toSpec(scope);
        return new ScopeResponse(scope.id(), scope.version(), s.name(), s.network(), s.gateway(), s.vlan(), s.pools(),
                s.exclusions(), scope.leaseTime(), scope.effectiveRenewalTime(), scope.effectiveRebindingTime(),
                s.options(), s.serverIdentifier(), s.serverMac(), reservationCount, loadError);
    }
}
