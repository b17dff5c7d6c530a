package io.fabricipam.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class AuditFilterTest {

    private static String target(String uri, String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        request.setQueryString(query);
        return AuditFilter.target(request);
    }

    @Test
    void keepsPathAndQueryAsSent() {
        assertThat(target("/api/v1/scopes", null)).isEqualTo("/api/v1/scopes");
        assertThat(target("/api/v1/scopes", "name=lab&limit=10")).isEqualTo("/api/v1/scopes?name=lab&limit=10");
        assertThat(target("/api/v1/leases/10.0.0.1", "mac=02%3A00%3A00%3A00%3A00%3A01"))
                .isEqualTo("/api/v1/leases/10.0.0.1?mac=02%3A00%3A00%3A00%3A00%3A01");
    }

    @Test
    void masksParametersNamedLikeTokensAndAnythingShapedLikeOne() {
        assertThat(target("/api/v1/scopes", "access_token=secret&x=1")).isEqualTo("/api/v1/scopes?access_token=***&x=1");
        assertThat(target("/api/v1/scopes", "x=1&Token=secret")).isEqualTo("/api/v1/scopes?x=1&Token=***");
        assertThat(target("/api/v1/scopes", "api_token=")).isEqualTo("/api/v1/scopes?api_token=***");
        assertThat(target("/api/v1/fip_abcdefgh12345678/x", "q=fip_ZZZZZZZZZZZZ"))
                .isEqualTo("/api/v1/***/x?q=***");
    }

    @Test
    void masksTokenShapedValuesInSummaries() {
        assertThat(AuditFilter.clean("created probe fip_aH4T34W6z6x3FWDHhBNR85mK6i-iDz1744DJgWCWdCc"))
                .isEqualTo("created probe ***");
        assertThat(AuditFilter.clean("x".repeat(2000))).hasSize(AuditContext.MAX_SUMMARY);
    }

    @Test
    void keepsALineALine() {
        assertThat(AuditFilter.oneLine("created scope a\nb\r\tc")).isEqualTo("created scope a?b??c");
        assertThat(target("/api/" + "x".repeat(3000), null)).hasSize(AuditFilter.MAX_PATH);
    }
}
