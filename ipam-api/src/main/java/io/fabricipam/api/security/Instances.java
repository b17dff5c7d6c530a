package io.fabricipam.api.security;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;

/** The {@code instance} of a problem: the request's path as the client sent it (percent-encoded). */
final class Instances {

    private Instances() {
    }

    /** Null when the path is not a valid URI reference (the container let through something odd). */
    static URI of(HttpServletRequest request) {
        try {
            return URI.create(request.getRequestURI());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
