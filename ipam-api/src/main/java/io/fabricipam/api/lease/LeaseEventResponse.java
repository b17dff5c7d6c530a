package io.fabricipam.api.lease;

import io.fabricipam.dhcp.lease.LeaseEvent;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** One event of a lease's history: who got what, when, where. */
public record LeaseEventResponse(
        UUID scopeId,
        String ip,
        String type,
        String mac,
        String clientId,
        Instant at,
        Instant expiresAt,
        String seenOn,
        String detail) {

    public static LeaseEventResponse of(LeaseEvent e) {
        return new LeaseEventResponse(e.scopeId(), e.address().toString(), e.type().name().toLowerCase(Locale.ROOT),
                e.mac() == null ? null : e.mac().toString(), e.client() == null ? null : e.client().toString(), e.at(),
                e.expiresAt(), e.seenOn(), e.detail());
    }
}
