package io.fabricipam.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token values: how they are made, hashed for storage and lookup, and shortened for logs.
 *
 * <p>A value is {@value #PREFIX} and 32 random bytes in URL-safe base64 (47 characters, no padding): the prefix
 * lets secret scanners and people recognise a leaked token; the randomness makes an unsalted SHA-256 safe
 * to store.
 */
final class Tokens {

    static final String PREFIX = "fip_";
    private static final int RANDOM_BYTES = 32;
    /** Longer than any value worth hashing; a header beyond it is refused unread. */
    static final int MAX_LENGTH = 512;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    static String newToken() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 of the value's UTF-8 bytes, as 64 lower-case hex digits: what the table and the cache hold. */
    static String hash(String token) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Enough of a generated token to tell which one is meant ({@code fip_AbCd…}), far too little to use. */
    static String shortPrefix(String token) {
        int keep = Math.min(token.length() / 4, PREFIX.length() + 4);
        return token.substring(0, keep) + "…";
    }
}
