package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.scope.Violation;
import java.util.List;

/**
 * A scope operation that cannot be done, with a stable {@link Kind} an API maps to a status and a problem
 * type, a human detail, and the fields or items at fault.
 */
public final class ScopeException extends RuntimeException {

    public enum Kind {
        /** The request itself is wrong (400/422): see {@link #violations()}. */
        INVALID,
        /** No such scope, reservation or lease (404). */
        NOT_FOUND,
        /** Another scope on the same VLAN overlaps this network (409). */
        OVERLAPPING_SCOPE,
        /** The address is reserved for, or leased to, someone else (409). */
        ADDRESS_IN_USE,
        /** The change would strand bound leases; {@link #conflicts()} lists them (409). */
        LEASES_IN_USE,
        /** No free address is left in the scope's pools (409). */
        POOL_EXHAUSTED,
        /** Another scope already has this name or id (409). */
        DUPLICATE_NAME,
        /** The scope changed since the caller read it (409/412). */
        STALE,
        /**
         * The store or the journal cannot do this now (down, or not keeping up); nothing was changed and the
         * same request may be tried again shortly (503).
         */
        UNAVAILABLE,
        /**
         * The change was made and is still being committed: it will be durable shortly unless the journal
         * fails, in which case it is undone. The caller learns which by reading again (503, retry later).
         */
        COMMIT_PENDING
    }

    private final Kind kind;
    private final List<Violation> violations;
    private final List<String> conflicts;

    public ScopeException(Kind kind, String detail, List<Violation> violations, List<String> conflicts) {
        super(detail);
        this.kind = kind;
        this.violations = violations == null ? List.of() : List.copyOf(violations);
        this.conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
    }

    public static ScopeException invalid(List<Violation> violations) {
        StringBuilder detail = new StringBuilder();
        for (Violation v : violations) {
            detail.append(detail.length() == 0 ? "" : "; ").append(v.field()).append(": ").append(v.message());
        }
        return new ScopeException(Kind.INVALID, detail.toString(), violations, null);
    }

    public static ScopeException invalid(String field, String message) {
        return invalid(List.of(new Violation(field, message)));
    }

    public static ScopeException notFound(String detail) {
        return new ScopeException(Kind.NOT_FOUND, detail, null, null);
    }

    public static ScopeException unavailable(String detail) {
        return new ScopeException(Kind.UNAVAILABLE, detail, null, null);
    }

    public static ScopeException commitPending(String detail) {
        return new ScopeException(Kind.COMMIT_PENDING, detail, null, null);
    }

    public static ScopeException conflict(Kind kind, String detail, String field, List<String> conflicts) {
        return new ScopeException(kind, detail, field == null ? null : List.of(new Violation(field, detail)), conflicts);
    }

    public Kind kind() {
        return kind;
    }

    public List<Violation> violations() {
        return violations;
    }

    public List<String> conflicts() {
        return conflicts;
    }

    /**
     * A failure as operators may read it: the first line of its message (and of its cause's), control
     * characters escaped, so that a stored value can neither forge log lines nor break a health document.
     */
    public static String describe(Throwable e) {
        String text = firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        String cause = e.getCause() == null || e.getCause().getMessage() == null ? null : firstLine(e.getCause().getMessage());
        if (cause != null && !text.contains(cause)) {
            text += ": " + cause;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
