package io.fabricipam.controller.dhcp;

import io.fabricipam.api.scope.ScopeSpec;
import io.fabricipam.api.scope.ScopeSpecs;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.ScopeState;
import io.fabricipam.dhcp.server.UnloadableScope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code fabric.scopes} at start: each scope is created, or updated when one of that name exists
 * (which repairs it if it could not be loaded); then its reservations are made sure of.
 */
public final class ConfiguredScopes {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredScopes.class);

    private ConfiguredScopes() {
    }

    public static void apply(ScopeDirectory directory, ScopeAdministration administration, List<ScopeSpec> specs) {
        for (ScopeSpec spec : specs) {
            apply(directory, administration, spec);
        }
    }

    private static void apply(ScopeDirectory directory, ScopeAdministration administration, ScopeSpec spec) {
        Optional<Scope> existing = directory.stateByName(spec.name()).map(ScopeState::scope);
        Optional<UnloadableScope> broken = administration.unloadable().stream()
                .filter(u -> u.name().equals(spec.name())).findFirst();
        Scope scope;
        String outcome;
        if (existing.isPresent()) {
            Scope current = existing.get();
            Scope wanted = ScopeSpecs.toScope(spec, current.id(), current.version());
            boolean same = wanted.equals(current);
            scope = same ? current : administration.update(wanted);
            outcome = same ? "as stored" : "updated";
        } else if (broken.isPresent()) {
            scope = administration.update(ScopeSpecs.toScope(spec, broken.get().id(), broken.get().version()));
            outcome = "repaired";
        } else {
            // a stable id per configured name, so a fresh database gives the same ids
            UUID id = UUID.nameUUIDFromBytes(("fabric-scope:" + spec.name()).getBytes(StandardCharsets.UTF_8));
            scope = administration.create(ScopeSpecs.toScope(spec, id, 0));
            outcome = "created";
        }
        for (Reservation r : ScopeSpecs.reservations(spec, scope.id())) {
            administration.reserve(scope.id(), r.mac(), r.address(), r.hostname());
        }
        log.info("scope '{}' from configuration {}: {}", scope.name(), outcome, scope.network());
    }
}
