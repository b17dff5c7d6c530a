package io.fabricipam.api.audit;

import io.fabricipam.api.security.ApiProperties;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit: its table, the background writer, the daily retention and the filter on {@code /api/*}.
 * The filter is registered just before Spring Security's, so it sees the principal the bearer filter found
 * and the final status, refusals included.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
public class AuditConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    JdbcAuditStore auditStore(DataSource dataSource) {
        return new JdbcAuditStore(dataSource);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    AuditWriter auditWriter(JdbcAuditStore store, ApiProperties properties) {
        return new AuditWriter(store, properties.auditQueueCapacity(), properties.auditBatchSize());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    AuditRetention auditRetention(JdbcAuditStore store, ApiProperties properties, ObjectProvider<Clock> clock) {
        return new AuditRetention(store, properties.auditRetention(), clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    FilterRegistrationBean<AuditFilter> auditFilter(AuditWriter writer, ObjectProvider<Clock> clock) {
        FilterRegistrationBean<AuditFilter> registration =
                new FilterRegistrationBean<>(new AuditFilter(writer, clock.getIfAvailable(Clock::systemUTC)));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
        registration.setName("auditFilter");
        return registration;
    }
}
