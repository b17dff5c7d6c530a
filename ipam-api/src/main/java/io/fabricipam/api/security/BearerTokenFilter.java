package io.fabricipam.api.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer <token>} (RFC 6750 §2.1; the query and form variants are not accepted,
 * as they end up in logs). No bearer header: the request goes on anonymous, and the authorization rules
 * decide. A bearer header that does not check out: 401 {@code invalid_token} at once, whatever the path, so
 * that a client with a stale token learns it instead of being served as anonymous.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    private static final String SCHEME = "Bearer";

    private final AuthenticationManager authenticationManager;
    private final AuthenticationEntryPoint entryPoint;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    /** Stateless, but kept on the request so that an error or async dispatch of it still knows who it is. */
    private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

    BearerTokenFilter(AuthenticationManager authenticationManager, AuthenticationEntryPoint entryPoint) {
        this.authenticationManager = authenticationManager;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            Authentication result = authenticationManager.authenticate(BearerTokenAuthentication.unchecked(token));
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(result);
            contexts.setContext(context);
            repository.saveContext(context, request, response);
            request.setAttribute(ApiPrincipal.REQUEST_ATTRIBUTE, result.getPrincipal());
        } catch (AuthenticationException e) {
            contexts.clearContext();
            entryPoint.commence(request, response, e);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The token of a {@code Bearer} header ("" when the scheme has no token, which then fails as invalid);
     * null without an Authorization header or with another scheme (Basic is simply not accepted).
     */
    static String bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        if (header.length() == SCHEME.length()) {
            return "";
        }
        if (header.charAt(SCHEME.length()) != ' ') {
            return null;
        }
        return header.substring(SCHEME.length() + 1).trim();
    }
}
