package io.fabricipam.api.lease;

import io.fabricipam.api.problem.ApiException;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.audit.AuditContext;
import io.fabricipam.api.web.Page;
import io.fabricipam.api.web.Parameters;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.server.LeaseQuery;
import io.fabricipam.dhcp.server.ScopeException;
import io.fabricipam.dhcp.server.LeaseAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.ScopeState;
import io.fabricipam.dhcp.store.LeaseStore;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/leases}: the live lease table (what the DHCP server answers from), filtered and paged;
 * one lease by address with its history; a MAC's leases; and force-release.
 */
@RestController
@RequestMapping(path = "/api/v1/leases", produces = "application/json")
class LeaseController {

    static final int HISTORY = 50;
    static final java.time.Duration HISTORY_WAIT = java.time.Duration.ofSeconds(2);

    private final ScopeDirectory directory;
    private final LeaseAdministration administration;
    private final LeaseStore leases;
    private final LeaseJournal journal;
    private final Clock clock;

    LeaseController(ScopeDirectory directory, LeaseAdministration administration, LeaseStore leases, LeaseJournal journal,
            Clock clock) {
        this.directory = directory;
        this.administration = administration;
        this.leases = leases;
        this.journal = journal;
        this.clock = clock;
    }

    /** History is read from the store, which the journal fills in the background: let it catch up first. */
    private LeaseStore caughtUp() {
        journal.awaitStored(HISTORY_WAIT);
        return leases;
    }

    @Operation(summary = "List leases", description = "Filters: scope (id), state (offered, bound, released, expired,"
            + " declined), mac, ip, hostname (substring). In address order within each scope.")
    @GetMapping
    Page<LeaseResponse> list(@RequestParam(required = false) String scope, @RequestParam(required = false) String state,
            @RequestParam(required = false) String mac, @RequestParam(required = false) String ip,
            @RequestParam(required = false) String hostname, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "" + Page.DEFAULT_SIZE) int size) {
        int offset = Page.offset(page, size);
        LeaseQuery query = new LeaseQuery(Parameters.uuid("scope", scope), state(state), Parameters.mac("mac", mac),
                Parameters.address("ip", ip), hostname);
        LeaseAdministration.LeasePage found = administration.leases(query, offset, size);
        Instant now = clock.instant();
        List<LeaseResponse> items = found.leases().stream().map(l -> LeaseResponse.of(l, scopeName(l), now, null)).toList();
        return new Page<>(items, page, size, found.total());
    }

    @Operation(summary = "One lease by address, with its history",
            description = "When the address exists in several scopes (overlapping networks on different VLANs), give ?scope=.")
    @GetMapping("/{ip}")
    LeaseResponse get(@PathVariable String ip, @RequestParam(required = false) String scope) {
        Lease lease = find(Parameters.address("ip", ip), Parameters.uuid("scope", scope));
        return withHistory(lease);
    }

    @GetMapping("/{ip}/history")
    List<LeaseEventResponse> history(@PathVariable String ip, @RequestParam(required = false) String scope,
            @RequestParam(defaultValue = "" + HISTORY) int limit) {
        Ipv4Address address = Parameters.address("ip", ip);
        UUID scopeId = Parameters.uuid("scope", scope);
        UUID resolved = scopeId != null ? scopeId : scopeOf(address);
        return caughtUp().history(resolved, address, limit(limit)).stream().map(LeaseEventResponse::of).toList();
    }

    @Operation(summary = "The leases and history of one MAC, across scopes")
    @GetMapping("/by-mac/{mac}")
    List<LeaseResponse> byMac(@PathVariable String mac) {
        MacAddress m = Parameters.mac("mac", mac);
        List<LeaseEventResponse> history = caughtUp().historyOf(m, HISTORY).stream().map(LeaseEventResponse::of).toList();
        Instant now = clock.instant();
        return administration.leases(new LeaseQuery(null, null, m, null, null), 0, Page.MAX_SIZE).leases().stream()
                .map(l -> LeaseResponse.of(l, scopeName(l), now, history.stream()
                        .filter(e -> e.scopeId().equals(l.scopeId()) && e.ip().equals(l.address().toString())).toList()))
                .toList();
    }

    @Operation(summary = "Force-release a lease", description = "Ends the lease at once, durably; the address goes"
            + " back to the pool. The client's next renewal is refused (NAK) and it starts over. When the commit takes"
            + " longer than 30 s: 503 commit-pending (Retry-After); the release stands and becomes durable unless the"
            + " journal fails, which undoes it. A failed commit: 503 service-unavailable, the lease unchanged.")
    @DeleteMapping("/{ip}")
    LeaseResponse release(@PathVariable String ip, @RequestParam(required = false) String scope,
            HttpServletRequest request) {
        Lease lease = find(Parameters.address("ip", ip), Parameters.uuid("scope", scope));
        String who = request.getUserPrincipal() == null ? "api" : request.getUserPrincipal().getName();
        Lease released = administration.forceRelease(lease.scopeId(), lease.address(), who);
        AuditContext.describe("force-released " + lease.address() + " (" + lease.mac() + ") in scope " + scopeName(lease));
        return withHistory(released);
    }

    private Lease find(Ipv4Address address, UUID scopeId) {
        List<Lease> found = administration.leases(new LeaseQuery(scopeId, null, null, address, null), 0, 2).leases();
        if (found.isEmpty()) {
            throw ScopeException.notFound("no lease for " + address + (scopeId == null ? "" : " in scope " + scopeId));
        }
        if (found.size() > 1) {
            throw new ApiException(ProblemType.AMBIGUOUS_ADDRESS, address + " has leases in several scopes; add ?scope=",
                    null);
        }
        return found.get(0);
    }

    private UUID scopeOf(Ipv4Address address) {
        List<ScopeState> containing = directory.states().stream()
                .filter(s -> s.scope().network().contains(address)).toList();
        if (containing.isEmpty()) {
            throw ScopeException.notFound("no scope contains " + address);
        }
        if (containing.size() > 1) {
            throw new ApiException(ProblemType.AMBIGUOUS_ADDRESS, address + " is in several scopes; add ?scope=", null);
        }
        return containing.get(0).scope().id();
    }

    private LeaseResponse withHistory(Lease lease) {
        List<LeaseEventResponse> history = caughtUp().history(lease.scopeId(), lease.address(), HISTORY).stream()
                .map(LeaseEventResponse::of).toList();
        return LeaseResponse.of(lease, scopeName(lease), clock.instant(), history);
    }

    private String scopeName(Lease lease) {
        return directory.state(lease.scopeId()).map(s -> s.scope().name()).orElse(null);
    }

    static LeaseState state(String value) {
        if (value == null) {
            return null;
        }
        try {
            return LeaseState.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.malformed("state", "'" + value + "' is not one of offered, bound, released, expired, declined");
        }
    }

    static int limit(int limit) {
        if (limit < 1 || limit > Page.MAX_SIZE) {
            throw ApiException.malformed("limit", "limit must be 1 to " + Page.MAX_SIZE);
        }
        return limit;
    }
}
