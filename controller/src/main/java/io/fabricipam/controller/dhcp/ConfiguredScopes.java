package io.fabricipam.controller.dhcp;

import io.fabricipam.api.scope.ScopeSpec;
import io.fabricipam.api.scope.ScopeSpecs;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.ScopeRegistry;
import io.fabricipam.dhcp.server.ScopeState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code fabric.scopes} at start: each scope is created, or updated when one of that name exists. */
final class ConfiguredScopes {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredScopes.class);

    private ConfiguredScopes() {
    }

    static void apply(ScopeRegistry registry, List<ScopeSpec> specs) {
        for (ScopeSpec spec : specs) {
            apply(registry, spec);
        }
    }

    /** Creates the scope, or updates the one of that name; then makes sure its reservations exist. */
    private static void apply(ScopeRegistry registry, ScopeSpec spec) {
        Optional<ScopeState> existing = registry.stateByName(spec.name());
        Scope scope;
        if (existing.isPresent()) {
            Scope current = existing.get().scope();
            Scope wanted = ScopeSpecs.toScope(spec, current.id(), current.version());
            scope = wanted.equals(current) ? current : registry.update(wanted);
        } else {
            // a stable id per configured name, so a fresh database gives the same ids
            UUID id = UUID.nameUUIDFromBytes(("fabric-scope:" + spec.name()).getBytes(StandardCharsets.UTF_8));
            scope = registry.create(ScopeSpecs.toScope(spec, id, 0));
        }
        for (Reservation r : ScopeSpecs.reservations(spec, scope.id())) {
            registry.reserve(scope.id(), r.mac(), r.address(), r.hostname());
        }
        log.info("scope '{}' {} from configuration: {}", scope.name(), existing.isPresent() ? "updated" : "created",
                scope.network());
    }
}
