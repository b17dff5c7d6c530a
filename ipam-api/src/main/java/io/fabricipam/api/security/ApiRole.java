package io.fabricipam.api.security;

import java.util.Locale;

/** What a token may do: READER reads ({@code GET}, {@code HEAD}); ADMIN also changes things and manages tokens. */
public enum ApiRole {
    READER,
    ADMIN;

    /** The Spring Security authority of this role, as {@code hasRole(name())} expects it. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** {@code reader} or {@code admin}, any case; null when it is neither. */
    public static ApiRole parse(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "READER" -> READER;
            case "ADMIN" -> ADMIN;
            default -> null;
        };
    }
}
