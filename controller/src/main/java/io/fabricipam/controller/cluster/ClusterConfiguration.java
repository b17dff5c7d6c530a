package io.fabricipam.controller.cluster;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The cluster state the API and health read: for now the single host; cluster mode plugs in here. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    ClusterStatus clusterStatus(ClusterProperties properties, Clock clock) {
        return new SingleHostCluster(properties.hostId(), clock);
    }
}
