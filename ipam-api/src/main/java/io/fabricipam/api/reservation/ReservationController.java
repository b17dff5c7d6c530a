package io.fabricipam.api.reservation;

import io.fabricipam.api.problem.ApiException;
import io.fabricipam.api.audit.AuditContext;
import io.fabricipam.api.web.Page;
import io.fabricipam.api.web.Parameters;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.server.ScopeException;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.ScopeState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/scopes/{id}/reservations}: MAC -> address bindings. POST with only a MAC binds the next
 * free address at once (AHV's model: the VM's address is known before it boots); parallel calls never get
 * the same address. Reservations are used by the next DHCP exchange.
 */
@RestController
@RequestMapping(path = "/api/v1/scopes/{id}/reservations", produces = "application/json")
class ReservationController {

    private final ScopeDirectory directory;
    private final ScopeAdministration administration;

    ReservationController(ScopeDirectory directory, ScopeAdministration administration) {
        this.directory = directory;
        this.administration = administration;
    }

    @Operation(summary = "Reserve an address for a MAC", description = "Without 'ip', the next free address of the"
            + " scope's pools is bound and returned (201). 409 address-in-use when the address is reserved for or"
            + " leased to another MAC; 409 pool-exhausted when no address is left.")
    @PostMapping(consumes = "application/json")
    ResponseEntity<ReservationResponse> create(@PathVariable String id, @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(examples = {@ExampleObject(name = "next free address", value = "{\"mac\": \"02:00:00:00:00:01\"}"),
                @ExampleObject(name = "a given address", value = "{\"mac\": \"02:00:00:00:00:02\", \"ip\": \"10.20.0.10\","
                        + " \"hostname\": \"vm-two\"}")})) @RequestBody ReservationRequest body) {
        ScopeState state = state(id);
        MacAddress mac = mac(body);
        Ipv4Address ip = bodyAddress(body.ip());
        Reservation r = administration.reserve(state.scope().id(), mac, ip, blankToNull(body.hostname()));
        AuditContext.describe("reserved " + r.address() + " for " + r.mac() + " in scope " + state.scope().name());
        return ResponseEntity.created(URI.create("/api/v1/scopes/" + r.scopeId() + "/reservations/" + r.mac()))
                .body(ReservationResponse.of(r));
    }

    @GetMapping
    Page<ReservationResponse> list(@PathVariable String id, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "" + Page.DEFAULT_SIZE) int size) {
        List<ReservationResponse> all = state(id).reservations().stream()
                .sorted(Comparator.comparing(Reservation::address)).map(ReservationResponse::of).toList();
        return Page.of(all, page, size);
    }

    @GetMapping("/{mac}")
    ReservationResponse get(@PathVariable String id, @PathVariable String mac) {
        ScopeState state = state(id);
        Reservation r = state.reservationOf(Parameters.mac("mac", mac));
        if (r == null) {
            throw ScopeException.notFound("no reservation for " + mac + " in scope " + state.scope().name());
        }
        return ReservationResponse.of(r);
    }

    @Operation(summary = "Change a reservation's address or hostname")
    @PutMapping(path = "/{mac}", consumes = "application/json")
    ReservationResponse replace(@PathVariable String id, @PathVariable String mac, @RequestBody ReservationRequest body) {
        ScopeState state = state(id);
        MacAddress m = Parameters.mac("mac", mac);
        if (body.mac() != null && !Parameters.mac("mac", body.mac()).equals(m)) {
            throw ApiException.invalid("mac", "the body's MAC differs from the path's");
        }
        if (state.reservationOf(m) == null) {
            throw ScopeException.notFound("no reservation for " + m + " in scope " + state.scope().name());
        }
        Ipv4Address ip = body.ip() == null ? state.reservationOf(m).address() : bodyAddress(body.ip());
        Reservation r = administration.reserve(state.scope().id(), m, ip, blankToNull(body.hostname()));
        AuditContext.describe("changed the reservation of " + m + " to " + r.address() + " in scope " + state.scope().name());
        return ReservationResponse.of(r);
    }

    @DeleteMapping("/{mac}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id, @PathVariable String mac) {
        ScopeState state = state(id);
        Reservation r = administration.unreserve(state.scope().id(), Parameters.mac("mac", mac));
        AuditContext.describe("removed the reservation of " + r.mac() + " (" + r.address() + ") from scope " + state.scope().name());
    }

    private ScopeState state(String id) {
        UUID uuid = Parameters.uuid("id", id);
        return directory.state(uuid).orElseThrow(() -> ScopeException.notFound("no scope " + id));
    }

    private static MacAddress mac(ReservationRequest body) {
        if (body == null || body.mac() == null || body.mac().isBlank()) {
            throw ApiException.invalid("mac", "is required");
        }
        try {
            return MacAddress.parse(body.mac());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("mac", e.getMessage());
        }
    }

    private static Ipv4Address bodyAddress(String ip) {
        if (ip == null || ip.isBlank()) {
            return null;
        }
        try {
            return Ipv4Address.parse(ip.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("ip", e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
