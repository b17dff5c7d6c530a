package io.fabricipam.api.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Locale;

/** An audit row as the API shows it (roles in lower case, as tokens are created with). */
record AuditEventResponse(
        long id,
        Instant occurredAt,
        @Schema(description = "The token's name, or anonymous") String principal,
        @Schema(allowableValues = {"reader", "admin"}, nullable = true) String role,
        String method,
        @Schema(description = "Path and query as sent, token-like values masked") String path,
        int status,
        long durationMillis,
        String remoteAddress,
        @Schema(description = "What the change did, when the handler said", nullable = true) String summary) {

    static AuditEventResponse of(AuditEvent e) {
        return new AuditEventResponse(e.id(), e.occurredAt(), e.principal(),
                e.role() == null ? null : e.role().toLowerCase(Locale.ROOT), e.method(), e.path(), e.status(),
                e.durationMillis(), e.remoteAddress(), e.summary());
    }
}
