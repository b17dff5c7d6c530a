package io.fabricipam.api.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import java.util.Arrays;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what. Bearer tokens only: stateless, no session, no CSRF (no cookies to ride on), no form or
 * basic login. The rules, first match wins:
 * <ol>
 *   <li>health, info, Prometheus and the OpenAPI document and UI: open;</li>
 *   <li>{@code /api/v1/tokens/**}, {@code /api/v1/audit/**}: admin, whatever the method;</li>
 *   <li>GET and HEAD on {@code /api/**}: reader or admin (open with {@code fabric.api.anonymous-read});</li>
 *   <li>any other method on {@code /api/**}: admin;</li>
 *   <li>anything else: any token (so an unknown path tells nothing without one).</li>
 * </ol>
 * No token where one is needed: 401 with {@code WWW-Authenticate: Bearer}; a token that does not check
 * out: 401 {@code invalid_token}, on any path (BearerTokenFilter); a reader token on an admin route: 403;
 * all as problem+json.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ApiProperties.class)
public class SecurityConfiguration {

    /** Open without a token: what load balancers, scrapers and API browsers fetch. */
    static final String[] OPEN = {"/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/v3/api-docs/**",
            "/v3/api-docs.yaml", "/swagger-ui/**", "/swagger-ui.html"};

    /** Admin only, reads included: tokens and the audit trail tell who can do what. */
    static final String[] ADMIN_ONLY = {"/api/v1/tokens/**", "/api/v1/audit/**"};

    /** Patterns as MVC matches paths (PathPattern), so that a rule and a handler mapping never disagree. */
    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiProperties properties, AuthenticationProvider tokenProvider,
            ObjectProvider<ObjectMapper> objectMapper) throws Exception {
        ProblemResponses problems = new ProblemResponses(
                objectMapper.getIfAvailable(() -> Jackson2ObjectMapperBuilder.json().build()));
        String reader = ApiRole.READER.name();
        String admin = ApiRole.ADMIN.name();
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new BearerTokenFilter(new ProviderManager(tokenProvider), problems),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(rules -> {
                    // An error dispatch re-enters the chain for a request that was already let through.
                    rules.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    rules.requestMatchers(anyMethod(OPEN)).permitAll();
                    rules.requestMatchers(anyMethod(ADMIN_ONLY)).hasRole(admin);
                    var reads = rules.requestMatchers(PATHS.matcher(HttpMethod.GET, "/api/**"),
                            PATHS.matcher(HttpMethod.HEAD, "/api/**"));
                    if (properties.anonymousRead()) {
                        reads.permitAll();
                    } else {
                        reads.hasAnyRole(reader, admin);
                    }
                    rules.requestMatchers(anyMethod("/api/**")).hasRole(admin);
                    rules.anyRequest().hasAnyRole(reader, admin);
                });
        return http.build();
    }

    /** Requests the firewall refuses (unknown methods, ';' or '//' in the path...) answer problem+json too. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ObjectProvider<ObjectMapper> objectMapper) {
        return new ProblemResponses(objectMapper.getIfAvailable(() -> Jackson2ObjectMapperBuilder.json().build()));
    }

    private static RequestMatcher[] anyMethod(String... patterns) {
        return Arrays.stream(patterns).map(PATHS::matcher).toArray(RequestMatcher[]::new);
    }
}
