package io.fabricipam.api.security;

import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationProvider;

/**
 * Token storage, the in-memory registry and the first admin token; no web parts, so it also runs in
 * contexts without a servlet container. Flyway runs first (V2__api_tokens_and_audit.sql).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
public class ApiTokenConfiguration {

    /** The environment variable that gives the admin token; read through Spring's environment, as any property. */
    static final String ADMIN_TOKEN_VARIABLE = "FABRIC_IPAM_ADMIN_TOKEN";

    @Bean
    @DependsOnDatabaseInitialization
    JdbcApiTokenStore apiTokenStore(DataSource dataSource) {
        return new JdbcApiTokenStore(dataSource);
    }

    @Bean(destroyMethod = "close")
    TokenRegistry tokenRegistry(JdbcApiTokenStore store, ObjectProvider<Clock> clock, ApiProperties properties,
            Environment environment) {
        TokenRegistry registry = new TokenRegistry(store, clock.getIfAvailable(Clock::systemUTC),
                givenAdminToken(properties, environment), properties.tokenRefresh());
        registry.start();
        return registry;
    }

    /** Runs when the context starts, before the web server takes requests. */
    @Bean
    AdminTokenBootstrap adminTokenBootstrap(JdbcApiTokenStore store, TokenRegistry registry, ObjectProvider<Clock> clock,
            ApiProperties properties, Environment environment, @Value("${fabric.data-dir:./data}") Path dataDir) {
        String givenBy = nonBlank(environment.getProperty(ADMIN_TOKEN_VARIABLE)) != null ? ADMIN_TOKEN_VARIABLE
                : properties.adminToken() != null ? "fabric.api.admin-token" : null;
        AdminTokenBootstrap bootstrap = new AdminTokenBootstrap(store, registry, clock.getIfAvailable(Clock::systemUTC),
                dataDir, givenBy);
        bootstrap.run();
        return bootstrap;
    }

    @Bean
    AuthenticationProvider tokenAuthenticationProvider(TokenRegistry registry) {
        return new TokenAuthenticationProvider(registry);
    }

    /** The variable wins over the property: it is what operators are told to set. */
    static String givenAdminToken(ApiProperties properties, Environment environment) {
        String variable = nonBlank(environment.getProperty(ADMIN_TOKEN_VARIABLE));
        return variable != null ? variable : nonBlank(properties.adminToken());
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
