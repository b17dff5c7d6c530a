package io.fabricipam.fabric.storage.iscsi;

import io.fabricipam.fabric.storage.text.SafeText;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of an iSCSI name (RFC 3720 §3.2.6, kept in RFC 7143 §4.2.7), for names we are given to
 * route to: the three forms
 * <ul>
 *   <li>{@code iqn.yyyy-mm.reversed.domain[:anything]}, e.g. {@code iqn.2024-01.io.fabricipam:disk1};</li>
 *   <li>{@code eui.} and 16 hexadecimal digits (an EUI-64), e.g. {@code eui.02004567A425678D};</li>
 *   <li>{@code naa.} and 16 or 32 hexadecimal digits (RFC 3980), e.g. {@code naa.52004567BA64678D};</li>
 * </ul>
 * at most {@value #MAX_BYTES} bytes in UTF-8. Characters are those left by the iSCSI stringprep profile
 * (RFC 3722): ASCII letters and digits, {@code -}, {@code .} and {@code :}, and non-ASCII letters, digits
 * and marks; no space, no control or format character, no other ASCII punctuation ({@code /}, {@code _}...).
 * Upper-case ASCII is accepted (stringprep folds it) and kept as given: names are compared as strings.
 * Pure.
 */
public final class IscsiName {

    /** RFC 3720 §3.2.6.1: "iSCSI names are limited to 223 bytes" (UTF-8). */
    public static final int MAX_BYTES = 223;

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
    private static final Pattern IQN = Pattern.compile(
            "iqn\\.[0-9]{4}-(?:0[1-9]|1[0-2])\\." + LABEL + "(?:\\." + LABEL + ")*(?::.*)?", Pattern.DOTALL);
    private static final Pattern EUI = Pattern.compile("eui\\.[0-9A-Fa-f]{16}");
    private static final Pattern NAA = Pattern.compile("naa\\.(?:[0-9A-Fa-f]{16}|[0-9A-Fa-f]{32})");

    private IscsiName() {
    }

    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }

    /** Why {@code name} is not an iSCSI name, in words (quoting it cut short), or empty if it is one. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is empty: an iSCSI name (iqn., eui. or naa.) is required");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return Optional.of("is " + bytes + " bytes long; iSCSI names have at most " + MAX_BYTES);
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (!allowed(c)) {
                return Optional.of("contains " + describe(c) + " at " + i + "; iSCSI names have letters, digits, '-',"
                        + " '.' and ':' only");
            }
            i += Character.charCount(c);
        }
        if (name.startsWith("iqn.")) {
            return IQN.matcher(name).matches() ? Optional.empty() : Optional.of(SafeText.quote(name)
                    + " is not iqn.yyyy-mm.reversed.domain[:name] (e.g. iqn.2024-01.io.fabricipam:disk1)");
        }
        if (name.startsWith("eui.")) {
            return EUI.matcher(name).matches() ? Optional.empty() : Optional.of(SafeText.quote(name)
                    + " is not eui. and 16 hexadecimal digits");
        }
        if (name.startsWith("naa.")) {
            return NAA.matcher(name).matches() ? Optional.empty() : Optional.of(SafeText.quote(name)
                    + " is not naa. and 16 or 32 hexadecimal digits");
        }
        return Optional.of(SafeText.quote(name) + " does not start with iqn., eui. or naa. (lower case)");
    }

    private static boolean allowed(int c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == ':';
        }
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.NON_SPACING_MARK,
                    Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK -> true;
            default -> false;
        };
    }

    private static String describe(int c) {
        return c < 0x80 && !Character.isISOControl(c) && c != ' ' ? "'" + (char) c + "'" : String.format("U+%04X", c);
    }
}
