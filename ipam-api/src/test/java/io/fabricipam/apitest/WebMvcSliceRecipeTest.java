package io.fabricipam.apitest;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.security.SecurityConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * How a resource's {@code @WebMvcTest} slice runs under the API's real access rules without a database:
 * import {@link SecurityConfiguration}, stand in for the token check (it needs the token table), and act as
 * a role with {@code @WithMockUser(roles = "ADMIN")} or {@code "READER"}. Without the import a slice gets
 * Boot's default security instead (basic login, CSRF), which is not what the API answers.
 */
@WebMvcTest(controllers = ProbeController.class)
@Import(SecurityConfiguration.class)
class WebMvcSliceRecipeTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AuthenticationProvider tokens;

    @Test
    void anonymousWritesAre401Problems() throws Exception {
        mvc.perform(post("/api/v1/probes/p1"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemType.UNAUTHORIZED.uri().toString()));
    }

    @Test
    @WithMockUser(roles = "READER")
    void readersReadButDoNotWrite() throws Exception {
        mvc.perform(get("/api/v1/probes/p1")).andExpect(status().isOk());
        mvc.perform(post("/api/v1/probes/p1"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(ProblemType.FORBIDDEN.uri().toString()));
    }

    @Test
    @WithMockUser(roles = "ADMIN")
    void adminsWriteWithoutACsrfToken() throws Exception {
        mvc.perform(post("/api/v1/probes/p1")).andExpect(status().isCreated());
    }
}
