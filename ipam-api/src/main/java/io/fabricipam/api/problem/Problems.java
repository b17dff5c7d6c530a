package io.fabricipam.api.problem;

import io.fabricipam.dhcp.scope.Violation;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.ProblemDetail;

/**
 * Builds RFC 9457 problem details of the API's {@link ProblemType}s, and keeps them small and free of
 * internals whatever the request held: a value echoed in a detail is cut to {@value Violation#MAX_QUOTED}
 * characters, a detail to {@value #MAX_DETAIL} characters, {@code errors} to the first {@value #MAX_ERRORS}
 * (with {@code errorsOmitted} counting the rest), and a detail that names a Java class is replaced by the
 * type's title (the log has the exception).
 */
public final class Problems {

    /** Most field errors one problem lists; {@code errorsOmitted} says how many more there were. */
    public static final int MAX_ERRORS = 50;
    /** Longest detail, in characters. */
    public static final int MAX_DETAIL = 1024;

    /** A quoted run of text, '...' or "...", not an apostrophe inside a word ("scope's"). */
    private static final Pattern QUOTED = Pattern.compile(
            "(?<![A-Za-z0-9])(?:'([^']*)'|\"([^\"]*)\")(?![A-Za-z0-9])");
    /** A fully qualified Java class name from the platform, the libraries or our own code. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(java|javax|jakarta|sun|com\\.fasterxml|org\\.springframework|org\\.apache|org\\.h2|org\\.postgresql"
                    + "|io\\.fabricipam)\\.[A-Za-z_$][\\w$]*(\\.[\\w$]+)+");

    private Problems() {
    }

    public static ProblemDetail of(ProblemType type, String detail, String instance) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(type.status(), safeDetail(detail, type.title()));
        p.setType(type.uri());
        p.setTitle(type.title());
        if (instance != null) {
            try {
                p.setInstance(URI.create(instance));
            } catch (IllegalArgumentException notAUri) {
                // a request target the container let through but java.net.URI refuses: no instance then
            }
        }
        return p;
    }

    public static ProblemDetail of(ProblemType type, String detail, String instance, List<FieldError> errors) {
        ProblemDetail p = of(type, detail, instance);
        if (errors != null && !errors.isEmpty()) {
            p.setProperty("errors", errors.size() > MAX_ERRORS ? List.copyOf(errors.subList(0, MAX_ERRORS)) : errors);
            if (errors.size() > MAX_ERRORS) {
                p.setProperty("errorsOmitted", errors.size() - MAX_ERRORS);
            }
        }
        return p;
    }

    /** {@code value} as a detail may quote it: see {@link Violation#quote}. */
    public static String echo(Object value) {
        return Violation.quote(value == null ? null : value.toString());
    }

    /**
     * A detail fit to answer: quoted values cut, control characters escaped, at most {@link #MAX_DETAIL}
     * characters; {@code fallback} when it would name a Java class.
     */
    static String safeDetail(String detail, String fallback) {
        if (detail == null) {
            return null;
        }
        String clipped = clip(detail);
        return CLASS_NAME.matcher(clipped).find() ? fallback : clipped;
    }

    /** Cuts every quoted value to {@link Violation#MAX_QUOTED} characters and the whole to {@link #MAX_DETAIL}. */
    static String clip(String text) {
        Matcher m = QUOTED.matcher(text);
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_DETAIL + 64));
        int last = 0;
        while (m.find() && sb.length() <= MAX_DETAIL) {
            String inner = m.group(1) != null ? m.group(1) : m.group(2);
            sb.append(escape(text, last, m.start()));
            if (inner.length() > Violation.MAX_QUOTED || !printable(inner)) {
                sb.append(Violation.quote(inner));
            } else {
                sb.append(m.group());
            }
            last = m.end();
        }
        if (sb.length() <= MAX_DETAIL) {
            sb.append(escape(text, last, Math.min(text.length(), last + MAX_DETAIL)));
        }
        if (sb.length() > MAX_DETAIL) {
            sb.setLength(MAX_DETAIL);
            sb.append("...");
        }
        return sb.toString();
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Control characters outside quotes as escapes, so a detail is always one readable line. */
    private static String escape(String text, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
