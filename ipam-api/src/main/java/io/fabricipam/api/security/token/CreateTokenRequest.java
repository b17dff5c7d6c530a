package io.fabricipam.api.security.token;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code POST /api/v1/tokens}. */
record CreateTokenRequest(
        @Schema(description = "Unique, never reused: letters, digits, '.', '_' and '-', at most 64", example = "ci-reader")
        String name,
        @Schema(description = "reader (GET, HEAD) or admin (everything)", example = "reader",
                allowableValues = {"reader", "admin"})
        String role) {
}
