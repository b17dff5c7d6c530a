package io.fabricipam.api.scope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.JsonProblems;
import io.fabricipam.api.audit.AuditContext;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeState;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/scopes/{id}/options}: a scope's DHCP options on their own; the next exchange uses them. */
@RestController
@RequestMapping(path = "/api/v1/scopes/{id}/options", produces = "application/json")
class OptionsController {

    private final ScopeAdministration administration;
    private final ScopeController scopes;
    private final ObjectMapper json;

    OptionsController(ScopeAdministration administration, ScopeController scopes, ObjectMapper json) {
        this.administration = administration;
        this.scopes = scopes;
        this.json = json;
    }

    @GetMapping
    OptionsSpec get(@PathVariable String id) {
        return ScopeSpecs.toSpec(scopes.state(id).scope()).options();
    }

    @PutMapping(consumes = "application/json")
    ResponseEntity<OptionsSpec> replace(@PathVariable String id, @RequestBody OptionsSpec options) {
        return store(scopes.state(id), options, "replaced");
    }

    @PatchMapping(consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<OptionsSpec> patch(@PathVariable String id, @RequestBody JsonNode patch) {
        ScopeState state = scopes.state(id);
        JsonNode merged = MergePatch.apply(json.valueToTree(ScopeSpecs.toSpec(state.scope()).options()), patch);
        OptionsSpec options;
        try {
            options = json.treeToValue(merged, OptionsSpec.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw JsonProblems.of(e);
        }
        return store(state, options, "patched");
    }

    private ResponseEntity<OptionsSpec> store(ScopeState state, OptionsSpec options, String verb) {
        ScopeSpec current = ScopeSpecs.toSpec(state.scope());
        ScopeSpec spec = new ScopeSpec(current.name(), current.network(), current.gateway(), current.vlan(),
                current.pools(), current.exclusions(), current.leaseTime(), current.renewalTime(),
                current.rebindingTime(), options, current.serverIdentifier(), current.serverMac(), null);
        Scope updated = administration.update(ScopeSpecs.toScope(spec, state.scope().id(), state.scope().version()));
        AuditContext.describe(verb + " the options of scope " + updated.name());
        return ResponseEntity.ok().eTag(ScopeController.etag(updated)).body(ScopeSpecs.toSpec(updated).options());
    }
}
