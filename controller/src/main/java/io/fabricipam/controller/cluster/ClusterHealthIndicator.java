package io.fabricipam.controller.cluster;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "cluster": the mode and this host's role, the leader and its epoch, and how
 * many hosts are up. A host whose role is {@code none} (no ZooKeeper session: it cannot know who leads, so it
 * answers and forwards no DHCP) is DOWN.
 */
@Component("cluster")
class ClusterHealthIndicator implements HealthIndicator {

    private final ClusterStatus status;

    ClusterHealthIndicator(ClusterStatus status) {
        this.status = status;
    }

    @Override
    public Health health() {
        ClusterView view = status.view();
        Health.Builder health = ClusterView.NONE.equals(view.role()) ? Health.down() : Health.up();
        health.withDetail("mode", view.mode()).withDetail("self", view.self()).withDetail("role", view.role());
        if (view.leader() != null) {
            health.withDetail("leader", view.leader().hostId()).withDetail("epoch", view.leader().epoch());
        }
        return health.withDetail("hostsUp", view.hosts().stream().filter(h -> ClusterView.Host.UP.equals(h.state())).count())
                .withDetail("hosts", view.hosts().size()).build();
    }
}
