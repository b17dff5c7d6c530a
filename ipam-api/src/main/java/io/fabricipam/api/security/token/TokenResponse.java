package io.fabricipam.api.security.token;

import io.fabricipam.api.security.ApiToken;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Locale;

/** A token as listed: never its value or hash. */
record TokenResponse(
        String name,
        @Schema(allowableValues = {"reader", "admin"}) String role,
        Instant createdAt,
        @Schema(description = "Updated at most once a minute") Instant lastUsedAt,
        Instant revokedAt,
        boolean active) {

    static TokenResponse of(ApiToken token) {
        return new TokenResponse(token.name(), token.role().name().toLowerCase(Locale.ROOT), token.createdAt(),
                token.lastUsedAt(), token.revokedAt(), token.active());
    }
}
