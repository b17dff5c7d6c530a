package io.fabricipam.apitest;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Tokens made through the API itself, as an operator would, for the tests that need a reader or an admin. */
public final class TestTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTokens() {
    }

    /** A new token of the role, under a unique name starting with {@code prefix}; returns its value. */
    public static String create(MockMvc mvc, String prefix, String role) throws Exception {
        return createNamed(mvc, prefix + "-" + UUID.randomUUID().toString().substring(0, 8), role);
    }

    public static String createNamed(MockMvc mvc, String name, String role) throws Exception {
        String body = mvc.perform(bearer(post("/api/v1/tokens"), ApiSecurityTest.ADMIN_TOKEN)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}"))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        return JSON.readTree(body).get("token").asText();
    }

    public static MockHttpServletRequestBuilder bearer(MockHttpServletRequestBuilder request, String token) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
}
