package io.fabricipam.controller.dhcp;

import io.fabricipam.api.scope.ScopeSpec;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code fabric.scopes[n]}: scopes declared in the configuration file, with the same fields as the REST
 * API's scope. At start each is created, or updated when a scope of that name exists; scopes created
 * through the API are left alone.
 */
@ConfigurationProperties("fabric")
public record ScopesProperties(List<ScopeSpec> scopes) {

    public ScopesProperties {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
