package io.fabricipam.api.audit;

import java.time.Instant;

/**
 * One request to {@code /api/**}: who, what, when.
 *
 * @param id             null until stored; ascending in the order rows were written
 * @param occurredAt     when the request arrived
 * @param principal      the token's name, or {@code anonymous}
 * @param role           {@code READER}, {@code ADMIN}, or null for anonymous requests
 * @param path           path and query as sent (percent-encoded), token-like values masked
 * @param durationMillis from arrival to the handler's return
 * @param summary        the handler's description of the change ({@link AuditContext}), or null
 */
public record AuditEvent(Long id, Instant occurredAt, String principal, String role, String method, String path,
        int status, long durationMillis, String remoteAddress, String summary) {

    public boolean write() {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }
}
