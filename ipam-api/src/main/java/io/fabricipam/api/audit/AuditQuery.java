package io.fabricipam.api.audit;

import java.time.Instant;

/**
 * Which audit rows to list, newest first; null fields do not filter.
 *
 * @param principal exact token name, or {@code anonymous}
 * @param method    upper-case HTTP method
 * @param since     rows at or after this time
 * @param limit     at most this many rows
 */
record AuditQuery(String principal, String method, Instant since, int limit) {
}
