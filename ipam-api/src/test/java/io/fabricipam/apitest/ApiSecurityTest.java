package io.fabricipam.apitest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * One application context (cached, shared by every class with this annotation and no other settings): the
 * security and audit parts on a private in-memory H2 in PostgreSQL mode, migrated by Flyway, with the admin
 * token {@link #ADMIN_TOKEN} given as a property, served through MockMvc with all filters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = SecurityTestApplication.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:api-${random.uuid}" + MigratedDatabase.H2_FLAGS,
        "fabric.data-dir=${java.io.tmpdir}/fabric-ipam-test-${random.uuid}",
        "fabric.api.admin-token=" + ApiSecurityTest.ADMIN_TOKEN,
        "management.endpoints.web.exposure.include=health,info,prometheus,metrics",
        "management.endpoint.health.show-details=when-authorized", // as the application
        "management.endpoint.health.roles=READER,ADMIN",
        "logging.level.io.fabricipam.audit=INFO",
        "spring.jackson.default-property-inclusion=non_null", // as the application (controller's application.yml)
        "spring.main.banner-mode=off"})
@AutoConfigureMockMvc
public @interface ApiSecurityTest {

    /** Not in the fip_ format: an operator's own value is taken as it is. */
    String ADMIN_TOKEN = "operator-chosen-admin-token-42";
}
