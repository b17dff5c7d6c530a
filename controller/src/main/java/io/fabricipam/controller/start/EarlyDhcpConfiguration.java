package io.fabricipam.controller.start;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * When the DHCP core started early ({@link EarlyDhcp}), its database pool becomes the context's: Boot's
 * DataSource auto-configuration backs off (it only acts when no DataSource bean exists), so there is one pool.
 * Boot's Flyway runs on it as usual: the schema is current by then, so it validates and finds nothing to do.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EarlyDhcpConfiguration.Started.class)
public class EarlyDhcpConfiguration {

    /** True when the early phase handed itself to this context. */
    static final class Started implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return context.getBeanFactory() != null && context.getBeanFactory().containsSingleton(EarlyDhcp.BEAN_NAME);
        }
    }

    /** Closed by {@link EarlyDhcp} after the core has stopped, not by the context (destroyMethod ""). */
    @Bean(destroyMethod = "")
    DataSource dataSource(EarlyDhcp early) {
        return early.dataSource();
    }
}
