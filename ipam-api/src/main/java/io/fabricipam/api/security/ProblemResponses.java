package io.fabricipam.api.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * 401 and 403 as RFC 9457 problems, with the RFC 6750 challenge. These answers are written by the security
 * filters, before any controller or advice runs, hence here and not in the API's exception advice.
 * Details name the principal and the role needed, never the token.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    /** The methods Spring Security's firewall lets through (StrictHttpFirewall's default). */
    private static final Set<String> METHODS = Set.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT");

    private final ObjectMapper objectMapper;

    ProblemResponses(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean invalid = e instanceof InvalidTokenException;
        // RFC 6750 §3.1: no error code when the request had no token at all.
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, invalid
                ? "Bearer error=\"invalid_token\", error_description=\"The token is unknown, revoked or malformed\""
                : "Bearer");
        String detail = invalid
                ? "The bearer token is unknown, revoked or malformed."
                : "This request needs a bearer token: Authorization: Bearer <token>.";
        write(request, response, ProblemType.UNAUTHORIZED, detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
        String who = ApiPrincipal.of(request)
                .map(p -> "The token '" + p.name() + "' has the role " + p.role().name().toLowerCase() + "; ")
                .orElse("");
        write(request, response, ProblemType.FORBIDDEN, who + request.getMethod() + " " + request.getRequestURI()
                + " needs an admin token.");
    }

    /**
     * The firewall's refusals (TRACE and other methods, ';', '//', encoded '%', '.' or '\\' in the path): a
     * problem written here, at once. Left to the container's error page, an unknown method was refused again
     * on the error dispatch and answered with an empty body.
     */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        if (!METHODS.contains(request.getMethod())) {
            response.setHeader(HttpHeaders.ALLOW, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
            write(request, response, ProblemType.METHOD_NOT_ALLOWED, "the method is not supported; use one of "
                    + "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        } else {
            write(request, response, ProblemType.MALFORMED_REQUEST, "the request was refused: its path holds something"
                    + " the server does not accept (';', '//', an encoded '%', '.' or '\\', or a control character)");
        }
    }

    private void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        ProblemDetail problem = Problems.of(type, detail, null);
        problem.setInstance(Instances.of(request));
        response.setStatus(type.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // Jackson writes UTF-8, JSON's only encoding (RFC 8259), so the media type carries no charset.
        objectMapper.writeValue(response.getOutputStream(), problem);
    }
}
