package io.fabricipam.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void valuesArePrefixedRandomAndUrlSafe() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = Tokens.newToken();
            // 32 bytes in unpadded base64url are 43 characters.
            assertThat(token).matches("fip_[A-Za-z0-9_-]{43}");
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void theHashIsSha256InLowerCaseHex() {
        // FIPS 180-2 test vector.
        assertThat(Tokens.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void theLogPrefixIsFarTooShortToUse() {
        String token = Tokens.newToken();
        String prefix = Tokens.shortPrefix(token);
        assertThat(prefix).startsWith("fip_").endsWith("…").hasSize(9);
        assertThat(token).startsWith(prefix.substring(0, 8));
        // A short operator-chosen value keeps no more than a quarter of itself.
        assertThat(Tokens.shortPrefix("12345678")).isEqualTo("12…");
    }
}
