package io.fabricipam.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.apitest.ApiSecurityTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/** The OpenAPI document declares the bearer scheme and puts it on every /api operation. */
@ApiSecurityTest
class OpenApiSecurityTest {

    @Autowired
    MockMvc mvc;

    @Test
    void everyApiOperationNeedsTheBearerScheme() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());

        JsonNode scheme = doc.at("/components/securitySchemes/" + OpenApiSecurityConfiguration.SCHEME);
        assertThat(scheme.get("type").asText()).isEqualTo("http");
        assertThat(scheme.get("scheme").asText()).isEqualTo("bearer");

        List<String> checked = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!path.getKey().startsWith("/api/")) {
                return;
            }
            JsonNode security = op.getValue().get("security");
            assertThat(security).as(op.getKey() + " " + path.getKey()).isNotNull();
            assertThat(security).hasSize(1);
            assertThat(security.get(0).has(OpenApiSecurityConfiguration.SCHEME)).isTrue();
            assertThat(op.getValue().at("/responses/401").isMissingNode()).isFalse();
            checked.add(op.getKey() + " " + path.getKey());
        }));
        assertThat(checked).contains("post /api/v1/tokens", "get /api/v1/tokens", "delete /api/v1/tokens/{name}",
                "get /api/v1/audit", "get /api/v1/probes/{name}", "post /api/v1/probes/{name}");
        assertThat(doc.at("/paths/~1api~1v1~1probes~1{name}/post/responses/403").isMissingNode()).isFalse();
        assertThat(doc.at("/paths/~1api~1v1~1probes~1{name}/get/responses/403").isMissingNode()).isTrue();
        assertThat(doc.at("/paths/~1api~1v1~1tokens/get/responses/403").isMissingNode()).isFalse();
    }
}
