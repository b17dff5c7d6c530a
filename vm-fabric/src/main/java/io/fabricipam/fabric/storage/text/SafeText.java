package io.fabricipam.fabric.storage.text;

import java.util.List;

/**
 * Text that came from outside (a REST body, a login PDU, a target's answer) made safe to put in a
 * log line or an error message: control characters, line and paragraph separators, bidirectional
 * overrides and lone surrogates become visible escapes ({@code \n}, {@code \u0000}), a backslash
 * becomes {@code \\} so that an escape cannot be faked, and long values are cut with the number of
 * characters left out. One log record stays one line, and a 1 MB field costs a few hundred bytes.
 *
 * <p>Pure and thread-safe. Use {@link #log} for log arguments and {@link #quote} to echo a value in a
 * message.
 */
public final class SafeText {

    /** Characters of one value kept in a log line. */
    public static final int MAX_LOGGED = 256;
    /** Characters of one value kept when an error message quotes it. */
    public static final int MAX_QUOTED = 64;

    private SafeText() {
    }

    /** {@code value} escaped and cut to {@value #MAX_LOGGED} characters; "null" for null. */
    public static String log(Object value) {
        return value == null ? "null" : escape(value.toString(), MAX_LOGGED);
    }

    /** Each element as {@link #log(Object)} does it, in list notation, at most {@value #MAX_LOGGED} characters in all. */
    public static String log(List<?> values) {
        if (values == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder("[");
        for (Object v : values) {
            s.append(s.length() == 1 ? "" : ", ").append(v == null ? "null" : escape(v.toString(), Integer.MAX_VALUE));
            if (s.length() > MAX_LOGGED) {
                break;
            }
        }
        String joined = s.append(']').toString();
        return joined.length() <= MAX_LOGGED ? joined : joined.substring(0, MAX_LOGGED) + "... (" + values.size()
                + " values)";
    }

    /** {@code 'value'} escaped and cut to {@value #MAX_QUOTED} characters, for error messages. */
    public static String quote(String value) {
        return value == null ? "null" : "'" + escape(value, MAX_QUOTED) + "'";
    }

    /** Whether {@code c} would be escaped: a control, format or separator character, or a surrogate. */
    public static boolean isUnsafe(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f'
                || c == '\u061c' || Character.getType(c) == Character.SURROGATE;
    }

    /** {@code text} escaped, keeping at most {@code max} characters of the original. */
    static String escape(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
        int kept = 0;
        for (int i = 0; i < text.length() && kept < max; i++, kept++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i)); // a whole supplementary character is fine
                kept++;
                continue;
            }
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isUnsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        int left = text.length() - kept;
        if (left > 0) {
            out.append("... (").append(left).append(" more characters)");
        }
        return out.toString();
    }
}
