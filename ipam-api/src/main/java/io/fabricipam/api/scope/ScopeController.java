package io.fabricipam.api.scope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ApiException;
import io.fabricipam.api.problem.FieldError;
import io.fabricipam.api.problem.JsonProblems;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.problem.Problems;
import io.fabricipam.api.web.Page;
import io.fabricipam.api.audit.AuditContext;
import io.fabricipam.api.web.Parameters;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.LeaseAdministration;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.ScopeException;
import io.fabricipam.dhcp.server.ScopeState;
import io.fabricipam.dhcp.server.UnloadableScope;
import io.fabricipam.dhcp.server.Utilization;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/scopes}: create, list, read, replace (PUT), merge-patch (PATCH, RFC 7396) and delete scopes.
 * Each scope carries a version, also sent as its ETag; PUT, PATCH and DELETE honour {@code If-Match}.
 * Changes reach the DHCP server at once: the next exchange uses them. A stored scope that could not be
 * loaded at start is listed and shown with its {@code loadError}; PUT (or PATCH) repairs it, DELETE removes it.
 */
@RestController
@RequestMapping(path = "/api/v1/scopes", produces = "application/json")
class ScopeController {

    static final String EXAMPLE = """
            {"name": "lab", "network": "10.20.0.0/24", "gateway": "10.20.0.1", "vlan": 0,
             "pools": [{"start": "10.20.0.100", "end": "10.20.0.199"}],
             "leaseTime": 3600,
             "options": {"dnsServers": ["10.20.0.53"], "domainName": "lab.example", "searchDomains": ["lab.example"]}}""";

    /** The network of the stand-in for a stored scope whose row cannot be read (see {@link #current}). */
    private static final Ipv4Network UNREADABLE = Ipv4Network.parse("0.0.0.0/0");

    private final ScopeDirectory directory;
    private final ScopeAdministration administration;
    private final LeaseAdministration leases;
    private final ObjectMapper json;

    ScopeController(ScopeDirectory directory, ScopeAdministration administration, LeaseAdministration leases,
            ObjectMapper json) {
        this.directory = directory;
        this.administration = administration;
        this.leases = leases;
        this.json = json;
    }

    @Operation(summary = "Create a scope", description = "Answers 201 with the stored scope, its id and a Location header."
            + " Reservations given here are made too.")
    @PostMapping(consumes = "application/json")
    ResponseEntity<ScopeResponse> create(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            examples = @ExampleObject(name = "lab", value = EXAMPLE))) @RequestBody ScopeSpec spec) {
        ScopeSpecs.Draft draft = ScopeSpecs.draft(spec, UUID.randomUUID()); // all checked before anything is saved
        Scope scope = administration.create(draft.scope());
        try {
            for (Reservation r : draft.reservations()) {
                administration.reserve(scope.id(), r.mac(), r.address(), r.hostname());
            }
        } catch (RuntimeException e) {
            administration.delete(scope.id(), true); // all or nothing: no scope with half its reservations
            throw e;
        }
        AuditContext.describe("created scope " + scope.name() + " (" + scope.network() + ")");
        return ResponseEntity.created(URI.create("/api/v1/scopes/" + scope.id())).eTag(etag(scope))
                .body(response(scope.id()));
    }

    @Operation(summary = "List scopes", description = "Filters: name (exact), vlan, and network: a CIDR (scopes"
            + " overlapping it) or an address (the scope containing it).")
    @GetMapping
    Page<ScopeResponse> list(@RequestParam(required = false) String name, @RequestParam(required = false) Integer vlan,
            @RequestParam(required = false) String network, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "" + Page.DEFAULT_SIZE) int size) {
        Ipv4Network net = network == null || !network.contains("/") ? null
                : Parameters.parse("network", network, Ipv4Network::parse, "a CIDR network");
        Ipv4Address address = network != null && !network.contains("/") ? Parameters.address("network", network) : null;
        java.util.function.Predicate<Scope> wanted = s -> (name == null || s.name().equals(name))
                && (vlan == null || s.vlan() == vlan) && (net == null || s.network().overlaps(net))
                && (address == null || s.network().contains(address));
        List<ScopeResponse> all = new java.util.ArrayList<>();
        directory.states().stream().filter(s -> wanted.test(s.scope())).map(ScopeController::response).forEach(all::add);
        // then those not served, so that operators see them; one whose row cannot be read matches only by name
        administration.unloadable().stream()
                .filter(u -> u.scope() != null ? wanted.test(u.scope()) : vlan == null && network == null
                        && (name == null || u.name().equals(name)))
                .map(ScopeResponse::of).forEach(all::add);
        return Page.of(all, page, size);
    }

    @GetMapping("/{id}")
    ResponseEntity<ScopeResponse> get(@PathVariable String id) {
        UUID uuid = Parameters.uuid("id", id);
        UnloadableScope broken = administration.unloadable(uuid).orElse(null);
        if (broken != null) {
            return ResponseEntity.ok().eTag("\"" + broken.version() + "\"").body(ScopeResponse.of(broken));
        }
        ScopeState state = state(id);
        return ResponseEntity.ok().eTag(etag(state.scope())).body(response(state));
    }

    @Operation(summary = "Replace a scope", description = "The body is a whole scope, as for POST (without"
            + " reservations: they have their own resource). Refused with 409 when bound leases would fall outside"
            + " the new pools; they are listed in 'conflicts'.")
    @PutMapping(path = "/{id}", consumes = "application/json")
    ResponseEntity<ScopeResponse> replace(@PathVariable String id, @RequestBody ScopeSpec spec,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        Scope current = current(id);
        noReservations(spec);
        long version = expectedVersion(current, ifMatch);
        Scope updated = administration.update(ScopeSpecs.toScope(spec, current.id(), version));
        AuditContext.describe("replaced scope " + updated.name());
        return ResponseEntity.ok().eTag(etag(updated)).body(response(updated.id()));
    }

    @Operation(summary = "Change some fields of a scope", description = "A JSON Merge Patch (RFC 7396): fields given"
            + " replace, null removes, objects (options) merge.")
    @PatchMapping(path = "/{id}", consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<ScopeResponse> patch(@PathVariable String id, @RequestBody JsonNode patch,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        Scope current = current(id);
        if (!patch.isObject()) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "a merge patch is a JSON object", null);
        }
        if (current.network() == UNREADABLE) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "the stored scope cannot be read, so there is"
                    + " nothing to merge into; replace it whole with PUT", null);
        }
        long version = expectedVersion(current, ifMatch);
        JsonNode merged = MergePatch.apply(json.valueToTree(ScopeSpecs.toSpec(current)), patch);
        ScopeSpec spec;
        try {
            spec = json.treeToValue(merged, ScopeSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw JsonProblems.of(e);
        }
        noReservations(spec);
        Scope updated = administration.update(ScopeSpecs.toScope(spec, current.id(), version));
        AuditContext.describe("patched scope " + updated.name() + ": " + patch);
        return ResponseEntity.ok().eTag(etag(updated)).body(response(updated.id()));
    }

    @Operation(summary = "Delete a scope", description = "Refused with 409 while the scope has bound leases, unless"
            + " force=true, which ends them. The scope stops answering DHCP first; 503 service-unavailable (Retry-After,"
            + " nothing changed) when the lease store cannot catch up with the journal within 30 s.")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id, @RequestParam(defaultValue = "false") boolean force,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        Scope current = current(id);
        expectedVersion(current, ifMatch);
        administration.delete(current.id(), force);
        AuditContext.describe("deleted scope " + current.name() + (force ? " (forced)" : ""));
    }

    @Operation(summary = "Address usage", description = "Per scope and per pool: total, bound, offered, reserved,"
            + " declined and free addresses, with exhaustion warnings.")
    @GetMapping("/{id}/utilization")
    UtilizationResponse utilization(@PathVariable String id) {
        ScopeState state = state(id);
        Utilization u = leases.utilization(state.scope().id());
        return UtilizationResponse.of(state.scope(), u);
    }

    /** A live scope, or 404 (saying why for one that could not be loaded). */
    ScopeState state(String id) {
        UUID uuid = Parameters.uuid("id", id);
        return directory.state(uuid).orElseThrow(() -> administration.unloadable(uuid)
                .map(u -> ScopeException.notFound("scope '" + u.name() + "' could not be loaded (" + u.reason()
                        + "); fix it with PUT /api/v1/scopes/" + id + " or delete it"))
                .orElseGet(() -> ScopeException.notFound("no scope " + id)));
    }

    /**
     * The scope as stored, live or not loaded, for what may repair or remove it (PUT, PATCH, DELETE). For a
     * row that cannot be read at all, a stand-in with its id, name and version (and no pools or options).
     */
    private Scope current(String id) {
        UUID uuid = Parameters.uuid("id", id);
        UnloadableScope broken = administration.unloadable(uuid).orElse(null);
        if (broken == null) {
            return state(id).scope();
        }
        if (broken.scope() != null) {
            return broken.scope();
        }
        return new Scope(broken.id(), broken.name(), UNREADABLE, null, 0, null, null, 0, null, null, null, null, null,
                broken.version());
    }

    private ScopeResponse response(UUID id) {
        return response(directory.state(id).orElseThrow(() -> ScopeException.notFound("no scope " + id)));
    }

    static ScopeResponse response(ScopeState state) {
        return ScopeResponse.of(state.scope(), state.reservationCount());
    }

    private static void noReservations(ScopeSpec spec) {
        if (spec.reservations() != null) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "reservations are managed under"
                    + " /api/v1/scopes/{id}/reservations", List.of(FieldError.of("reservations",
                    "not accepted here; use /api/v1/scopes/{id}/reservations")));
        }
    }

    static String etag(Scope scope) {
        return "\"" + scope.version() + "\"";
    }

    /**
     * The version the caller expects: the current one without If-Match or with {@code *}; with entity tags
     * (RFC 9110 §13.1.1), the current one when one of them matches it by the strong comparison, else 412. A weak
     * tag ({@code W/"1"}) never matches, as If-Match compares strongly; an empty or malformed If-Match is 400.
     */
    static long expectedVersion(Scope current, String ifMatch) {
        if (ifMatch == null) {
            return current.version();
        }
        String value = ifMatch.trim();
        if (value.equals("*")) {
            return current.version();
        }
        List<String> tags = entityTags(value);
        String currentTag = String.valueOf(current.version());
        for (String tag : tags) {
            if (!tag.startsWith("W/") && tag.substring(1, tag.length() - 1).equals(currentTag)) {
                return current.version();
            }
        }
        boolean weak = tags.stream().allMatch(t -> t.startsWith("W/"));
        throw new ApiException(ProblemType.VERSION_CONFLICT, "scope " + current.name() + " is at version "
                + current.version() + " (ETag \"" + current.version() + "\"), If-Match was " + Problems.echo(value)
                + (weak ? "; a weak tag never matches in If-Match (RFC 9110 §13.1.1)" : "; read it again"), null);
    }

    /** {@code "1", W/"2"}: the entity tags of a header value, as written; 400 when there are none or one is malformed. */
    private static List<String> entityTags(String value) {
        List<String> tags = new java.util.ArrayList<>();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            int start = i;
            if (value.startsWith("W/", i)) {
                i += 2;
            }
            int close = i < value.length() && value.charAt(i) == '"' ? value.indexOf('"', i + 1) : -1;
            if (close < 0 || !etagChars(value, i + 1, close)) {
                break;
            }
            tags.add(value.substring(start, close + 1));
            i = close + 1;
            while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            if (i < value.length() && value.charAt(i) != ',') {
                break;
            }
        }
        if (tags.isEmpty() || i < value.length()) {
            throw ApiException.malformed("If-Match", value.isEmpty()
                    ? "If-Match is empty: send the scope's ETag, e.g. \"3\", or * , or leave the header out"
                    : "If-Match must be * or entity tags such as \"3\", not " + Problems.echo(value));
        }
        return tags;
    }

    /** RFC 9110 etagc: '!' and '#'-'~' (no '"', no control characters), and obs-text. */
    private static boolean etagChars(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c == 0x7f || c == '"') {
                return false;
            }
        }
        return true;
    }
}
