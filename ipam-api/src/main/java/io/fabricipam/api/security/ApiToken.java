package io.fabricipam.api.security;

import java.time.Instant;

/**
 * A stored token as the API shows it: never its value or hash.
 *
 * @param lastUsedAt updated lazily (at most once a minute), so it may lag by that much
 * @param revokedAt  null while the token works
 */
public record ApiToken(String name, ApiRole role, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
