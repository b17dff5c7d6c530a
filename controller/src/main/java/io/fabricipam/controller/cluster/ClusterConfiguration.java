package io.fabricipam.controller.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The cluster state the API and health read (for now the single host; cluster mode plugs in here), and the
 * rule that writes to what the leader owns go to the leader ({@link LeaderWrites}).
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    /** The cluster runtime's view when the early phase started one (cluster mode), else the single host. */
    @Bean
    ClusterStatus clusterStatus(ObjectProvider<ClusterRuntime> runtime, ClusterProperties properties, Clock clock) {
        ClusterRuntime started = runtime.getIfAvailable();
        return started != null ? started.status() : new SingleHostCluster(properties.hostId(), clock);
    }

    @Bean
    WebMvcConfigurer leaderWrites(ObjectProvider<ClusterStatus> status, ObjectMapper json) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new LeaderWrites(() -> status.getObject().view(), json))
                        .addPathPatterns(LeaderWrites.PATHS);
            }
        };
    }
}
