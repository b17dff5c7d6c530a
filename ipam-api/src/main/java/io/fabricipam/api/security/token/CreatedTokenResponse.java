package io.fabricipam.api.security.token;

import io.fabricipam.api.security.TokenRegistry.CreatedToken;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Locale;

/** The answer to a creation: the only time the token's value is shown. */
record CreatedTokenResponse(
        String name,
        @Schema(allowableValues = {"reader", "admin"}) String role,
        Instant createdAt,
        @Schema(description = "The bearer token. Shown this once: only its hash is kept.") String token) {

    static CreatedTokenResponse of(CreatedToken created) {
        return new CreatedTokenResponse(created.token().name(), created.token().role().name().toLowerCase(Locale.ROOT),
                created.token().createdAt(), created.value());
    }

    /** Records print every component; this one must not reach a log. */
    @Override
    public String toString() {
        return "CreatedTokenResponse[name=" + name + ", role=" + role + "]";
    }
}
