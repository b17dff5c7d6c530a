package io.fabricipam.api.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * What a handler tells the audit about the change its request made, in words an operator reads later:
 * {@code AuditContext.describe("created scope lab (10.20.0.0/24)")}. It lands in the request's audit row
 * and log line. Bound to the current request (Spring's {@link RequestContextHolder}), so any code on the
 * request thread may call it; outside a request it does nothing.
 *
 * <p>Say what changed, never secrets: no token values, no passwords, no request bodies.
 */
public final class AuditContext {

    static final String SUMMARY_ATTRIBUTE = AuditContext.class.getName() + ".summary";
    /** Longer summaries are cut: the audit row is a line, not a document. */
    static final int MAX_SUMMARY = 1000;

    private AuditContext() {
    }

    /** Describes the current request's change; several calls are joined with "; ". */
    public static void describe(String summary) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            describe(servlet.getRequest(), summary);
        }
    }

    /** As {@link #describe(String)}, for code that holds the request. */
    public static void describe(HttpServletRequest request, String summary) {
        if (summary == null || summary.isBlank()) {
            return;
        }
        String text = summary.strip();
        Object before = request.getAttribute(SUMMARY_ATTRIBUTE);
        if (before instanceof String earlier) {
            text = earlier + "; " + text;
        }
        request.setAttribute(SUMMARY_ATTRIBUTE, text);
    }

    /** What the request's handlers said, if anything. */
    public static Optional<String> summary(HttpServletRequest request) {
        return request.getAttribute(SUMMARY_ATTRIBUTE) instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
