package io.fabricipam.api.audit;

import io.fabricipam.api.problem.FieldError;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.problem.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail, newest first. Admin only (SecurityConfiguration). */
@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "audit", description = "Who did what, when (admin only)")
class AuditController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{1,16}");

    private final JdbcAuditStore store;
    private final Clock clock;

    AuditController(JdbcAuditStore store, ObjectProvider<Clock> clock) {
        this.store = store;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @GetMapping
    @Operation(summary = "List audit events, newest first",
            description = "Recent requests may take a moment to appear: events are written in the background.")
    List<AuditEventResponse> list(
            @Parameter(description = "Token name, or anonymous") @RequestParam(required = false) String principal,
            @Parameter(description = "HTTP method, e.g. POST") @RequestParam(required = false) String method,
            @Parameter(description = "An instant (2026-11-21T10:00:00Z) or a time back from now (90m, 24h, 7d, PT1H)")
            @RequestParam(required = false) String since,
            @Parameter(description = "At most this many, 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")")
            @RequestParam(required = false) String limit,
            HttpServletRequest request) {
        List<FieldError> errors = new ArrayList<>();
        String upperMethod = null;
        if (method != null && !method.isBlank()) {
            if (METHOD.matcher(method.strip()).matches()) {
                upperMethod = method.strip().toUpperCase(Locale.ROOT);
            } else {
                errors.add(FieldError.of("method", "must be an HTTP method such as GET or POST"));
            }
        }
        Instant from = null;
        if (since != null && !since.isBlank()) {
            from = parseSince(since.strip());
            if (from == null) {
                errors.add(FieldError.of("since", "must be an instant such as 2026-11-21T10:00:00Z or a duration such as 24h"));
            }
        }
        int max = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                max = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > MAX_LIMIT) {
                errors.add(FieldError.of("limit", "must be a whole number from 1 to " + MAX_LIMIT));
            }
        }
        if (!errors.isEmpty()) {
            throw new ErrorResponseException(ProblemType.VALIDATION_FAILED.status(), Problems.of(
                    ProblemType.VALIDATION_FAILED, "The audit query has invalid parameters.", request.getRequestURI(),
                    errors), null);
        }
        String who = principal == null || principal.isBlank() ? null : principal.strip();
        return store.query(new AuditQuery(who, upperMethod, from, max)).stream().map(AuditEventResponse::of).toList();
    }

    /** An ISO-8601 instant, or a duration back from now; null when it is neither. */
    private Instant parseSince(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                Duration back = DurationStyle.detectAndParse(text);
                return back.isNegative() ? null : clock.instant().minus(back);
            } catch (IllegalArgumentException notADuration) {
                return null;
            }
        }
    }
}
