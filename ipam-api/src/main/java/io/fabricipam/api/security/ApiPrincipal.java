package io.fabricipam.api.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Who made a request: the token's name and role. The bearer filter also leaves it on the request (under
 * {@link #REQUEST_ATTRIBUTE}), where the audit reads it after the security filters have cleared their context.
 */
public record ApiPrincipal(String name, ApiRole role) {

    public static final String REQUEST_ATTRIBUTE = ApiPrincipal.class.getName();

    /** How the audit names requests without a token. */
    public static final String ANONYMOUS = "anonymous";

    public static Optional<ApiPrincipal> of(HttpServletRequest request) {
        return request.getAttribute(REQUEST_ATTRIBUTE) instanceof ApiPrincipal p ? Optional.of(p) : Optional.empty();
    }
}
