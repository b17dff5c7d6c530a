package io.fabricipam.dhcp.scope;

/** One thing wrong with a scope or reservation: the field at fault (e.g. {@code pools[1].end}) and why. */
public record Violation(String field, String message) {

    /** Longest part of a caller's value a message quotes; the rest is counted, not echoed. */
    public static final int MAX_QUOTED = 64;

    /**
     * {@code value} as a message quotes it: in single quotes, at most {@link #MAX_QUOTED} characters, control
     * and non-ASCII characters as {@code \}{@code uXXXX} escapes (so a NUL or a newline neither hides nor forges
     * anything in a log line), and a longer value cut with the number of characters left out.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_QUOTED) + 24).append('\'');
        int shown = Math.min(value.length(), MAX_QUOTED);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('\'');
        if (value.length() > shown) {
            sb.append(" (").append(value.length() - shown).append(" more characters)");
        }
        return sb.toString();
    }
}
