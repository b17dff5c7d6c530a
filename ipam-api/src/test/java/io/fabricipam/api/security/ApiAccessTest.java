package io.fabricipam.api.security;

import static io.fabricipam.apitest.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.apitest.ApiSecurityTest;
import io.fabricipam.apitest.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Who may call what, with tokens made through the API: the rules of SecurityConfiguration, end to end. */
@ApiSecurityTest
class ApiAccessTest {

    private static final String PROBE = "/api/v1/probes/p1";

    @Autowired
    MockMvc mvc;

    private String reader;
    private String admin;

    @BeforeEach
    void tokens() throws Exception {
        reader = TestTokens.create(mvc, "reader", "reader");
        admin = TestTokens.create(mvc, "admin", "admin");
    }

    @Test
    void writesWithoutATokenAre401ProblemsWithABearerChallenge() throws Exception {
        for (MockHttpServletRequestBuilder write : new MockHttpServletRequestBuilder[] {
                post(PROBE), put(PROBE), patch(PROBE), delete(PROBE)}) {
            mvc.perform(write)
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"))
                    .andExpect(jsonPath("$.type").value(ProblemType.UNAUTHORIZED.uri().toString()))
                    .andExpect(jsonPath("$.status").value(401))
                    .andExpect(jsonPath("$.title").value(ProblemType.UNAUTHORIZED.title()))
                    .andExpect(jsonPath("$.instance").value(PROBE));
        }
    }

    @Test
    void writesWithAReaderTokenAre403Problems() throws Exception {
        MvcResult result = mvc.perform(bearer(post(PROBE), reader))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemType.FORBIDDEN.uri().toString()))
                .andExpect(jsonPath("$.instance").value(PROBE))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\""))
                .andReturn();
        assertThat(result.getResponse().getContentAsString()).doesNotContain(reader);
        mvc.perform(bearer(delete(PROBE), reader)).andExpect(status().isForbidden());
        mvc.perform(bearer(put(PROBE), reader)).andExpect(status().isForbidden());
    }

    @Test
    void writesWithAnAdminTokenPass() throws Exception {
        mvc.perform(bearer(post(PROBE), admin)).andExpect(status().isCreated());
        mvc.perform(bearer(put(PROBE), admin)).andExpect(status().isOk());
        mvc.perform(bearer(delete(PROBE), admin)).andExpect(status().isNoContent());
    }

    @Test
    void theAdminTokenGivenAtStartIsAnAdmin() throws Exception {
        mvc.perform(bearer(post(PROBE), ApiSecurityTest.ADMIN_TOKEN)).andExpect(status().isCreated());
    }

    @Test
    void readsNeedAReaderOrAdminToken() throws Exception {
        mvc.perform(bearer(get(PROBE), reader)).andExpect(status().isOk()).andExpect(jsonPath("$.name").value("p1"));
        mvc.perform(bearer(head(PROBE), reader)).andExpect(status().isOk());
        mvc.perform(bearer(get(PROBE), admin)).andExpect(status().isOk());
        mvc.perform(get(PROBE))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemType.UNAUTHORIZED.uri().toString()))
                .andExpect(jsonPath("$.instance").value(PROBE));
    }

    @Test
    void aWrongTokenIsAnInvalidTokenAndIsNotEchoed() throws Exception {
        String wrong = Tokens.newToken();
        MvcResult result = mvc.perform(bearer(get(PROBE), wrong))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemType.UNAUTHORIZED.uri().toString()))
                .andReturn();
        assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE))
                .startsWith("Bearer ").contains("error=\"invalid_token\"");
        assertThat(result.getResponse().getContentAsString()).doesNotContain(wrong);
        assertThat(result.getResponse().getHeaderNames().stream().map(result.getResponse()::getHeader))
                .noneMatch(value -> value.contains(wrong));
        // An empty bearer is a wrong token too, not an anonymous request.
        mvc.perform(get(PROBE).header(HttpHeaders.AUTHORIZATION, "Bearer"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, org.hamcrest.Matchers.containsString("invalid_token")));
    }

    @Test
    void otherSchemesAreNotAccepted() throws Exception {
        mvc.perform(get(PROBE).header(HttpHeaders.AUTHORIZATION, "Basic YWRtaW46YWRtaW4="))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
        // RFC 6750's query form is refused: values in URLs end up in logs.
        mvc.perform(get(PROBE).queryParam("access_token", admin)).andExpect(status().isUnauthorized());
    }

    @Test
    void tokenAndAuditEndpointsNeedAnAdminEvenToRead() throws Exception {
        for (String path : new String[] {"/api/v1/tokens", "/api/v1/audit"}) {
            mvc.perform(bearer(get(path), reader))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.type").value(ProblemType.FORBIDDEN.uri().toString()))
                    .andExpect(jsonPath("$.instance").value(path));
            mvc.perform(get(path)).andExpect(status().isUnauthorized());
            mvc.perform(bearer(get(path), admin)).andExpect(status().isOk());
        }
    }

    @Test
    void healthInfoAndTheOpenApiDocumentAreOpen() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(get("/actuator/info")).andExpect(status().isOk());
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk());
        mvc.perform(get("/swagger-ui.html")).andExpect(status().is3xxRedirection());
        mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
        // No Prometheus registry in this test application: MVC answers, not the security filters.
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isNotFound());
    }

    /** Before: paths, database type and counts for anyone; load balancers only need the status. */
    @Test
    void healthShowsDetailsOnlyToATokenHolder() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.components").doesNotExist())
                .andExpect(jsonPath("$.details").doesNotExist());
        mvc.perform(get("/actuator/health/db")).andExpect(jsonPath("$.details").doesNotExist());
        for (String token : new String[] {reader, admin}) {
            mvc.perform(bearer(get("/actuator/health"), token)).andExpect(status().isOk())
                    .andExpect(jsonPath("$.components.db.details.database").value("H2"));
        }
    }

    @Test
    void everythingElseNeedsAToken() throws Exception {
        mvc.perform(get("/actuator/metrics")).andExpect(status().isUnauthorized());
        mvc.perform(bearer(get("/actuator/metrics"), reader)).andExpect(status().isOk());
        mvc.perform(get("/no/such/path"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.instance").value("/no/such/path"));
        mvc.perform(bearer(get("/no/such/path"), reader)).andExpect(status().isNotFound());
    }

    @Test
    void aWrongTokenIsRefusedEvenWhereNoneIsNeeded() throws Exception {
        mvc.perform(bearer(get("/actuator/health"), "not-a-token")).andExpect(status().isUnauthorized());
    }
}
