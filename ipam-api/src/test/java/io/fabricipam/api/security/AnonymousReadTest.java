package io.fabricipam.api.security;

import static io.fabricipam.apitest.TestTokens.bearer;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.apitest.ApiSecurityTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** fabric.api.anonymous-read opens reads of the API's resources, and nothing else. */
@ApiSecurityTest
@TestPropertySource(properties = "fabric.api.anonymous-read=true")
class AnonymousReadTest {

    @Autowired
    MockMvc mvc;

    @Test
    void readsPassWithoutAToken() throws Exception {
        mvc.perform(get("/api/v1/probes/p1")).andExpect(status().isOk()).andExpect(jsonPath("$.name").value("p1"));
        mvc.perform(head("/api/v1/probes/p1")).andExpect(status().isOk());
    }

    @Test
    void writesStillNeedAnAdminToken() throws Exception {
        mvc.perform(post("/api/v1/probes/p1"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value(ProblemType.UNAUTHORIZED.uri().toString()));
        mvc.perform(delete("/api/v1/probes/p1")).andExpect(status().isUnauthorized());
        mvc.perform(bearer(post("/api/v1/probes/p1"), ApiSecurityTest.ADMIN_TOKEN)).andExpect(status().isCreated());
    }

    @Test
    void tokensAuditAndOtherPathsStayClosed() throws Exception {
        mvc.perform(get("/api/v1/tokens")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/audit")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/metrics")).andExpect(status().isUnauthorized());
        mvc.perform(get("/no/such/path")).andExpect(status().isUnauthorized());
    }

    @Test
    void aWrongTokenIsStillRefused() throws Exception {
        mvc.perform(bearer(get("/api/v1/probes/p1"), "fip_wrong")).andExpect(status().isUnauthorized());
    }
}
