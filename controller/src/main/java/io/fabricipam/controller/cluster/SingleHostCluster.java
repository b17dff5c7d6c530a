package io.fabricipam.controller.cluster;

import io.fabricipam.fabric.cluster.ClusterSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The cluster of a host without ZooKeeper: itself, leading since it started, at epoch 0 (nothing to fence:
 * no other host writes its database).
 */
public final class SingleHostCluster implements ClusterStatus {

    private final String self;
    private final Instant started;
    private final Clock clock;

    public SingleHostCluster(String hostId, Clock clock) {
        this.self = hostId == null || hostId.isBlank() ? localHostName() : hostId.trim();
        this.clock = clock;
        this.started = clock.instant();
    }

    /** The contract's default host id: the hostname (as the cluster's membership names a host). */
    public static String localHostName() {
        return ClusterSettings.localHostId();
    }

    @Override
    public ClusterView view() {
        return new ClusterView(ClusterView.SINGLE_HOST, self, ClusterView.LEADER, new ClusterView.Leader(self, 0, started),
                List.of(new ClusterView.Host(self, null, ClusterView.Host.UP, null, clock.instant(), null)));
    }
}
