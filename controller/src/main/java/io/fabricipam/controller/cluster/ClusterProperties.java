package io.fabricipam.controller.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fabric.cluster.*}: cluster mode is on when {@code zookeeper} is set. Without it the service is a
 * single host, exactly as before: embedded H2, its own leader, no set-up.
 *
 * @param zookeeper         ZooKeeper's connect string, {@code host:port[,host:port...]}
 * @param hostId            this host's name in the cluster (default: the hostname)
 * @param underlayIp        this host's VXLAN tunnel endpoint address (required in cluster mode)
 * @param sessionTimeout    how long ZooKeeper waits for a silent host before its leadership and membership end;
 *                          small, because a leader's failover takes about this long
 * @param connectionTimeout how long one ZooKeeper operation waits for a connection (as ClusterSettings)
 * @param apiUrl            where other hosts and clients reach this host's REST API (followers send writes to
 *                          the leader's); default {@code http://UNDERLAY-IP:SERVER-PORT}
 */
@ConfigurationProperties("fabric.cluster")
public record ClusterProperties(
        String zookeeper,
        String hostId,
        String underlayIp,
        @DefaultValue("4s") Duration sessionTimeout,
        @DefaultValue("3s") Duration connectionTimeout,
        String apiUrl) {

    public static final ClusterProperties SINGLE_HOST = new ClusterProperties(null, null, null, Duration.ofSeconds(4),
            Duration.ofSeconds(3), null);

    public boolean enabled() {
        return zookeeper != null && !zookeeper.isBlank();
    }
}
