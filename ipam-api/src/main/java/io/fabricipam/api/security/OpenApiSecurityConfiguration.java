package io.fabricipam.api.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.AntPathMatcher;

/**
 * Tells OpenAPI clients about the bearer tokens: the scheme (so the UI offers "Authorize") and, on every
 * {@code /api/**} operation, that it needs one, with the 401/403 it may answer. A customizer rather than an
 * {@code OpenAPI} bean, so that it adds to whatever document the API itself describes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
public class OpenApiSecurityConfiguration {

    static final String SCHEME = "bearerToken";

    @Bean
    GlobalOpenApiCustomizer bearerTokenOpenApi(ApiProperties properties) {
        return openApi -> describe(openApi, properties.anonymousRead());
    }

    static void describe(OpenAPI openApi, boolean anonymousRead) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        openApi.getComponents().addSecuritySchemes(SCHEME, new SecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("fip_...")
                .description("An API token: the admin token (FABRIC_IPAM_ADMIN_TOKEN, or ${fabric.data-dir}/admin-token"
                        + " after the first start) or one made with POST /api/v1/tokens. Readers may GET and HEAD;"
                        + " admins may do anything."));
        if (openApi.getPaths() == null) {
            return;
        }
        AntPathMatcher matcher = new AntPathMatcher();
        openApi.getPaths().forEach((path, item) -> {
            if (!path.startsWith("/api/")) {
                return;
            }
            boolean adminOnly = List.of(SecurityConfiguration.ADMIN_ONLY).stream().anyMatch(p -> matcher.match(p, path));
            for (Map.Entry<PathItem.HttpMethod, Operation> e : item.readOperationsMap().entrySet()) {
                boolean read = e.getKey() == PathItem.HttpMethod.GET || e.getKey() == PathItem.HttpMethod.HEAD;
                secure(e.getValue(), read && !adminOnly && anonymousRead, !read || adminOnly);
            }
        });
    }

    private static void secure(Operation operation, boolean optional, boolean adminOnly) {
        SecurityRequirement bearer = new SecurityRequirement().addList(SCHEME);
        // An empty requirement object is how OpenAPI says "or no authentication at all".
        operation.setSecurity(optional ? List.of(bearer, new SecurityRequirement()) : List.of(bearer));
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        if (!optional) {
            operation.getResponses().putIfAbsent("401", new ApiResponse()
                    .description("No bearer token, or one that is unknown or revoked (problem+json)"));
        }
        if (adminOnly) {
            operation.getResponses().putIfAbsent("403", new ApiResponse()
                    .description("The token is a reader token; this needs an admin token (problem+json)"));
        }
    }
}
