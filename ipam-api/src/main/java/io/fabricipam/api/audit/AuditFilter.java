package io.fabricipam.api.audit;

import io.fabricipam.api.security.ApiPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records every request to {@code /api/**}. It runs outside the security filters, so refused requests
 * (401, 403) are recorded too; the bearer filter leaves the principal on the request for it. Writes also go
 * to the {@value #LOGGER} log at INFO, one line each.
 *
 * <p>Nothing of a token reaches a row or a line: the principal is the token's name, and anything in the
 * path or query that looks like a token value, or a parameter named like one, is masked.
 */
final class AuditFilter extends OncePerRequestFilter {

    static final String LOGGER = "io.fabricipam.audit";
    private static final Logger auditLog = LoggerFactory.getLogger(LOGGER);

    static final int MAX_PATH = 2000;
    static final String MASK = "***";
    /** A value as Tokens makes them (prefix and base64url), wherever it appears. */
    private static final Pattern TOKEN_VALUE = Pattern.compile("fip_[A-Za-z0-9_-]{8,}");
    /** access_token (RFC 6750 §2.3), token, api_token, ...: the value goes, the name stays. */
    private static final Pattern TOKEN_PARAMETER = Pattern.compile("(?i)(^|&)([^=&]*token[^=&]*)=[^&]*");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final AuditWriter writer;
    private final Clock clock;

    AuditFilter(AuditWriter writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant arrived = clock.instant();
        long start = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            // An exception that escapes the handlers becomes a 500 in the container, after this filter.
            int status = failed ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : response.getStatus();
            record(request, arrived, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), status);
        }
    }

    private void record(HttpServletRequest request, Instant arrived, long millis, int status) {
        ApiPrincipal principal = ApiPrincipal.of(request).orElse(null);
        AuditEvent event = new AuditEvent(null, arrived,
                principal == null ? ApiPrincipal.ANONYMOUS : principal.name(),
                principal == null ? null : principal.role().name(),
                cut(request.getMethod(), 16), target(request), status, millis,
                cut(request.getRemoteAddr(), 64),
                AuditContext.summary(request).map(AuditFilter::clean).orElse(null));
        writer.record(event);
        if (event.write() && auditLog.isInfoEnabled()) {
            auditLog.info("{} {} {} by {}{} from {} in {} ms{}", event.method(), event.path(), event.status(),
                    event.principal(), event.role() == null ? "" : " (" + event.role().toLowerCase(Locale.ROOT) + ")",
                    event.remoteAddress(), event.durationMillis(),
                    event.summary() == null ? "" : ": " + oneLine(event.summary()));
        }
    }

    /** Path and query as sent, token-like values masked, cut to {@link #MAX_PATH}. */
    static String target(HttpServletRequest request) {
        String query = request.getQueryString();
        String target = query == null ? request.getRequestURI()
                : request.getRequestURI() + "?" + TOKEN_PARAMETER.matcher(query).replaceAll("$1$2=" + MASK);
        return cut(oneLine(TOKEN_VALUE.matcher(target).replaceAll(MASK)), MAX_PATH);
    }

    /** A handler's summary may quote what the client sent, a token included; it is masked as paths are. */
    static String clean(String summary) {
        return cut(oneLine(TOKEN_VALUE.matcher(summary).replaceAll(MASK)), AuditContext.MAX_SUMMARY);
    }

    /** Handler text and raw paths may hold line breaks; a log line must stay one line. */
    static String oneLine(String text) {
        return CONTROL.matcher(text).replaceAll("?");
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
