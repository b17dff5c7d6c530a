package io.fabricipam.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.junit.jupiter.api.Test;

/** With anonymous reads on, the document says reads may go without a token; writes and admin reads may not. */
class OpenApiSecurityConfigurationTest {

    @Test
    void anonymousReadsAreOptionalBearerAndTheRestIsRequired() {
        OpenAPI api = new OpenAPI().paths(new Paths()
                .addPathItem("/api/v1/scopes", new PathItem().get(new Operation()).post(new Operation()))
                .addPathItem("/api/v1/audit", new PathItem().get(new Operation()))
                .addPathItem("/actuator/health", new PathItem().get(new Operation())));

        OpenApiSecurityConfiguration.describe(api, true);

        SecurityRequirement bearer = new SecurityRequirement().addList(OpenApiSecurityConfiguration.SCHEME);
        assertThat(api.getPaths().get("/api/v1/scopes").getGet().getSecurity()).containsExactly(bearer, new SecurityRequirement());
        assertThat(api.getPaths().get("/api/v1/scopes").getPost().getSecurity()).containsExactly(bearer);
        assertThat(api.getPaths().get("/api/v1/audit").getGet().getSecurity()).containsExactly(bearer);
        assertThat(api.getPaths().get("/actuator/health").getGet().getSecurity()).isNull();
    }
}
