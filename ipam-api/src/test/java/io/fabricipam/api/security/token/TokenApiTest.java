package io.fabricipam.api.security.token;

import static io.fabricipam.apitest.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.apitest.ApiSecurityTest;
import io.fabricipam.apitest.TestTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** POST, GET and DELETE /api/v1/tokens: values shown once, never listed, revocation at once. */
@ApiSecurityTest
class TokenApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    MockMvc mvc;

    private String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private org.springframework.test.web.servlet.ResultActions create(String body) throws Exception {
        return mvc.perform(bearer(post("/api/v1/tokens"), ApiSecurityTest.ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void creatingAnswersTheValueOnceAndListingNeverShowsIt() throws Exception {
        String name = unique("ci-reader");
        String body = create("{\"name\": \"" + name + "\", \"role\": \"reader\"}")
                .andExpect(status().isCreated())
                .andExpect(header().string(HttpHeaders.LOCATION, "/api/v1/tokens/" + name))
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, containsString("no-store")))
                .andExpect(jsonPath("$.name").value(name))
                .andExpect(jsonPath("$.role").value("reader"))
                .andExpect(jsonPath("$.createdAt").isNotEmpty())
                .andReturn().getResponse().getContentAsString();
        String value = JSON.readTree(body).get("token").asText();
        assertThat(value).startsWith("fip_").hasSizeGreaterThanOrEqualTo(4 + 43);

        String list = mvc.perform(bearer(get("/api/v1/tokens"), ApiSecurityTest.ADMIN_TOKEN))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        JsonNode listed = null;
        for (JsonNode token : JSON.readTree(list)) {
            if (token.get("name").asText().equals(name)) {
                listed = token;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("role").asText()).isEqualTo("reader");
        assertThat(listed.get("active").asBoolean()).isTrue();
        assertThat(listed.has("token")).isFalse();
        assertThat(list).doesNotContain(value).doesNotContain(sha256(value));

        mvc.perform(bearer(get("/api/v1/tokens/" + name), ApiSecurityTest.ADMIN_TOKEN))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value(name))
                .andExpect(jsonPath("$.token").doesNotExist());
        // The new token works at once.
        mvc.perform(bearer(get("/api/v1/probes/x"), value)).andExpect(status().isOk());
    }

    @Test
    void aRevokedTokenStopsWorking() throws Exception {
        String name = unique("short-lived");
        String value = TestTokens.createNamed(mvc, name, "admin");
        mvc.perform(bearer(post("/api/v1/probes/x"), value)).andExpect(status().isCreated());

        mvc.perform(bearer(delete("/api/v1/tokens/" + name), ApiSecurityTest.ADMIN_TOKEN)).andExpect(status().isNoContent());

        mvc.perform(bearer(post("/api/v1/probes/x"), value))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("error=\"invalid_token\"")));
        mvc.perform(bearer(get("/api/v1/probes/x"), value)).andExpect(status().isUnauthorized());
        mvc.perform(bearer(get("/api/v1/tokens/" + name), ApiSecurityTest.ADMIN_TOKEN))
                .andExpect(jsonPath("$.active").value(false))
                .andExpect(jsonPath("$.revokedAt").isNotEmpty());
        // Revoking again changes nothing; the name stays taken.
        mvc.perform(bearer(delete("/api/v1/tokens/" + name), ApiSecurityTest.ADMIN_TOKEN)).andExpect(status().isNoContent());
        create("{\"name\": \"" + name + "\", \"role\": \"admin\"}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(ProblemType.DUPLICATE_NAME.uri().toString()));
    }

    @Test
    void invalidFieldsAreValidationProblemsNamingTheFields() throws Exception {
        create("{\"name\": \"has space\", \"role\": \"superuser\"}")
                .andExpect(status().isUnprocessableEntity())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemType.VALIDATION_FAILED.uri().toString()))
                .andExpect(jsonPath("$.instance").value("/api/v1/tokens"))
                .andExpect(jsonPath("$.errors[0].field").value("name"))
                .andExpect(jsonPath("$.errors[0].pointer").value("#/name"))
                .andExpect(jsonPath("$.errors[1].field").value("role"));
        create("{}")
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].field").value("name"))
                .andExpect(jsonPath("$.errors[0].detail").value("is required"))
                .andExpect(jsonPath("$.errors[1].field").value("role"));
        create("{\"name\": \"" + "x".repeat(65) + "\", \"role\": \"admin\"}")
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].field").value("name"));
    }

    @Test
    void theBootstrapNameIsReserved() throws Exception {
        create("{\"name\": \"bootstrap-admin\", \"role\": \"admin\"}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(ProblemType.DUPLICATE_NAME.uri().toString()))
                .andExpect(jsonPath("$.errors[0].field").value("name"));
    }

    @Test
    void unknownNamesAreNotFoundProblems() throws Exception {
        mvc.perform(bearer(delete("/api/v1/tokens/nobody"), ApiSecurityTest.ADMIN_TOKEN))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemType.NOT_FOUND.uri().toString()))
                .andExpect(jsonPath("$.instance").value("/api/v1/tokens/nobody"));
        mvc.perform(bearer(get("/api/v1/tokens/nobody"), ApiSecurityTest.ADMIN_TOKEN)).andExpect(status().isNotFound());
    }

    @Test
    void readersCannotManageTokens() throws Exception {
        String reader = TestTokens.create(mvc, "reader", "reader");
        mvc.perform(bearer(post("/api/v1/tokens"), reader).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"escalate\", \"role\": \"admin\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(bearer(get("/api/v1/tokens/escalate"), ApiSecurityTest.ADMIN_TOKEN)).andExpect(status().isNotFound());
    }

    private static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
