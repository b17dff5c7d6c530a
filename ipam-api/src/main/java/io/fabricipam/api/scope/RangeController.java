package io.fabricipam.api.scope;

import io.fabricipam.api.problem.ApiException;
import io.fabricipam.api.audit.AuditContext;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.ScopeException;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeState;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/scopes/{id}/pools} and {@code .../exclusions}: one range each, addressed as
 * {@code start-end} (e.g. {@code 10.20.0.100-10.20.0.199}). Changes go through the same checks as a scope
 * update: a pool outside the network or overlapping another is 422, shrinking a pool under bound leases 409.
 */
@RestController
@RequestMapping(path = "/api/v1/scopes/{id}", produces = "application/json")
class RangeController {

    enum Kind {
        POOLS, EXCLUSIONS
    }

    private final ScopeAdministration administration;
    private final ScopeController scopes;

    RangeController(ScopeAdministration administration, ScopeController scopes) {
        this.administration = administration;
        this.scopes = scopes;
    }

    @GetMapping("/{kind:pools|exclusions}")
    List<RangeSpec> list(@PathVariable String id, @PathVariable String kind) {
        return ranges(scopes.state(id).scope(), kind(kind)).stream().map(RangeController::spec).toList();
    }

    @GetMapping("/{kind:pools|exclusions}/{range}")
    RangeSpec get(@PathVariable String id, @PathVariable String kind, @PathVariable String range) {
        Scope scope = scopes.state(id).scope();
        AddressRange r = parse(range);
        if (!ranges(scope, kind(kind)).contains(r)) {
            throw ScopeException.notFound("scope " + scope.name() + " has no " + singular(kind) + " " + r);
        }
        return spec(r);
    }

    @Operation(summary = "Add a pool or an exclusion")
    @PostMapping(path = "/{kind:pools|exclusions}", consumes = "application/json")
    ResponseEntity<RangeSpec> add(@PathVariable String id, @PathVariable String kind, @RequestBody RangeSpec body) {
        ScopeState state = scopes.state(id);
        AddressRange r = body(body);
        List<AddressRange> ranges = new ArrayList<>(ranges(state.scope(), kind(kind)));
        ranges.add(r);
        Scope updated = update(state.scope(), kind(kind), ranges);
        AuditContext.describe("added " + singular(kind) + " " + r + " to scope " + updated.name());
        return ResponseEntity.created(URI.create("/api/v1/scopes/" + updated.id() + "/" + kind + "/" + r))
                .eTag(ScopeController.etag(updated)).body(spec(r));
    }

    @Operation(summary = "Resize a pool or an exclusion")
    @PutMapping(path = "/{kind:pools|exclusions}/{range}", consumes = "application/json")
    ResponseEntity<RangeSpec> replace(@PathVariable String id, @PathVariable String kind, @PathVariable String range,
            @RequestBody RangeSpec body) {
        ScopeState state = scopes.state(id);
        AddressRange old = parse(range);
        AddressRange r = body(body);
        List<AddressRange> ranges = new ArrayList<>(ranges(state.scope(), kind(kind)));
        int i = ranges.indexOf(old);
        if (i < 0) {
            throw ScopeException.notFound("scope " + state.scope().name() + " has no " + singular(kind) + " " + old);
        }
        ranges.set(i, r);
        Scope updated = update(state.scope(), kind(kind), ranges);
        AuditContext.describe("changed " + singular(kind) + " " + old + " to " + r + " in scope " + updated.name());
        return ResponseEntity.ok().eTag(ScopeController.etag(updated)).body(spec(r));
    }

    @DeleteMapping("/{kind:pools|exclusions}/{range}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id, @PathVariable String kind, @PathVariable String range) {
        ScopeState state = scopes.state(id);
        AddressRange old = parse(range);
        List<AddressRange> ranges = new ArrayList<>(ranges(state.scope(), kind(kind)));
        if (!ranges.remove(old)) {
            throw ScopeException.notFound("scope " + state.scope().name() + " has no " + singular(kind) + " " + old);
        }
        Scope updated = update(state.scope(), kind(kind), ranges);
        AuditContext.describe("removed " + singular(kind) + " " + old + " from scope " + updated.name());
    }

    private Scope update(Scope scope, Kind kind, List<AddressRange> ranges) {
        return administration.update(kind == Kind.POOLS ? scope.withPools(ranges) : scope.withExclusions(ranges));
    }

    private static List<AddressRange> ranges(Scope scope, Kind kind) {
        return kind == Kind.POOLS ? scope.pools() : scope.exclusions();
    }

    private static Kind kind(String path) {
        return path.equals("pools") ? Kind.POOLS : Kind.EXCLUSIONS;
    }

    private static String singular(String path) {
        return path.equals("pools") ? "pool" : "exclusion";
    }

    private static RangeSpec spec(AddressRange r) {
        return new RangeSpec(r.start().toString(), r.end().toString());
    }

    /** {@code start-end} from the path. */
    private static AddressRange parse(String range) {
        int dash = range.indexOf('-');
        try {
            if (dash < 0) {
                throw new IllegalArgumentException();
            }
            return new AddressRange(Ipv4Address.parse(range.substring(0, dash)), Ipv4Address.parse(range.substring(dash + 1)));
        } catch (IllegalArgumentException e) {
            throw ApiException.malformed("range", "'" + range + "' is not a range like 10.20.0.100-10.20.0.199");
        }
    }

    private static AddressRange body(RangeSpec body) {
        if (body == null) {
            throw ApiException.invalid("start", "is required");
        }
        Ipv4Address start = field("start", body.start());
        Ipv4Address end = field("end", body.end());
        if (start.compareTo(end) > 0) {
            throw ApiException.invalid("end", "end " + end + " is before start " + start);
        }
        return new AddressRange(start, end);
    }

    private static Ipv4Address field(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(name, "is required");
        }
        try {
            return Ipv4Address.parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(name, e.getMessage());
        }
    }
}
