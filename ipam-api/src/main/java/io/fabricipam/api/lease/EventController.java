package io.fabricipam.api.lease;

import io.fabricipam.api.problem.ApiException;
import io.fabricipam.api.web.Parameters;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.store.LeaseStore;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/events}: the lease event history of every scope, newest first. */
@RestController
@RequestMapping(path = "/api/v1/events", produces = "application/json")
class EventController {

    private final LeaseStore leases;
    private final LeaseJournal journal;

    EventController(LeaseStore leases, LeaseJournal journal) {
        this.leases = leases;
        this.journal = journal;
    }

    @Operation(summary = "Lease events", description = "Filters: scope (id), type (bound, renewed, released, expired,"
            + " declined, reclaimed, force_released), mac, since (ISO-8601 instant, inclusive); newest first.")
    @GetMapping
    List<LeaseEventResponse> list(@RequestParam(required = false) String scope, @RequestParam(required = false) String type,
            @RequestParam(required = false) String mac, @RequestParam(required = false) String since,
            @RequestParam(defaultValue = "100") int limit) {
        journal.awaitStored(LeaseController.HISTORY_WAIT); // the store is filled from the journal in the background
        return leases.events(Parameters.uuid("scope", scope), type(type), Parameters.mac("mac", mac), instant(since),
                LeaseController.limit(limit)).stream().map(LeaseEventResponse::of).toList();
    }

    private static LeaseEventType type(String value) {
        if (value == null) {
            return null;
        }
        try {
            return LeaseEventType.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw ApiException.malformed("type", "'" + value + "' is not a lease event type");
        }
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.malformed("since", "'" + value + "' is not an ISO-8601 instant like 2026-11-21T10:00:00Z");
        }
    }
}
