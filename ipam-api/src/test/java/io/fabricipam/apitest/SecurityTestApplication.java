package io.fabricipam.apitest;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * The security and audit parts as the application runs them (Boot's auto-configuration: DataSource, Flyway,
 * Spring Security, MVC, springdoc, actuator), plus {@link ProbeController} as a stand-in for the API's
 * resources. It lives outside {@code io.fabricipam.api}, so that no other test's scan picks it up.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(basePackages = {"io.fabricipam.api.security", "io.fabricipam.api.audit"})
@Import(ProbeController.class)
public class SecurityTestApplication {
}
