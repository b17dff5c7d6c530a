package io.fabricipam.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenFilterTest {

    @Test
    void readsTheBearerSchemeOnly() {
        assertThat(BearerTokenFilter.bearerToken("Bearer fip_abc")).isEqualTo("fip_abc");
        assertThat(BearerTokenFilter.bearerToken("bearer  fip_abc ")).isEqualTo("fip_abc");
        assertThat(BearerTokenFilter.bearerToken("Bearer")).isEmpty();
        assertThat(BearerTokenFilter.bearerToken("Bearer ")).isEmpty();
        assertThat(BearerTokenFilter.bearerToken(null)).isNull();
        assertThat(BearerTokenFilter.bearerToken("Basic YWRtaW46YWRtaW4=")).isNull();
        assertThat(BearerTokenFilter.bearerToken("Bearerfip_abc")).isNull();
    }
}
