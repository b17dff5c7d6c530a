package io.fabricipam.apitest;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;

/**
 * The security and audit parts as the application runs them (Boot's auto-configuration: DataSource, Flyway,
 * Spring Security, MVC, springdoc, actuator), plus {@link ProbeController} as a stand-in for the API's
 * resources. It lives outside {@code io.fabricipam.api}, so that no other test's scan picks it up.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
// The filters @SpringBootApplication uses, so that slices (@WebMvcTest) found from here stay slices.
@ComponentScan(basePackages = {"io.fabricipam.api.security", "io.fabricipam.api.audit", "io.fabricipam.api.problem"}, excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class)})
@Import(ProbeController.class)
public class SecurityTestApplication {
}
