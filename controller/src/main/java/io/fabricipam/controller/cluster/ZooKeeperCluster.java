package io.fabricipam.controller.cluster;

import io.fabricipam.fabric.cluster.HostMembership;
import io.fabricipam.fabric.cluster.LeaderPhase;
import io.fabricipam.fabric.cluster.LeaderStatus;
import io.fabricipam.fabric.cluster.LeaderView;
import io.fabricipam.fabric.cluster.LeadershipService;
import io.fabricipam.fabric.cluster.Member;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The cluster as ZooKeeper shows it to this host: membership (every host's node) and leadership (the latch and
 * the epoch the leader published). The role: {@code leader} while this host leads at a claimed epoch,
 * {@code follower} while another host is known to lead, {@code none} otherwise (suspended, claiming, no leader
 * known: this host answers no DHCP then).
 */
public final class ZooKeeperCluster implements ClusterStatus {

    private final HostMembership membership;
    private final LeadershipService leadership;
    private final Clock clock;
    private String lastLeader; // guarded by this
    private Instant leaderSince; // guarded by this

    public ZooKeeperCluster(HostMembership membership, LeadershipService leadership, Clock clock) {
        this.membership = membership;
        this.leadership = leadership;
        this.clock = clock;
    }

    @Override
    public ClusterView view() {
        LeaderStatus status = leadership.status();
        LeaderView leader = leadership.currentLeader();
        String role = status.isLeading() ? ClusterView.LEADER
                : leader.isKnown() && !leader.hostId().orElseThrow().equals(leadership.hostId()) && followerPhase(status)
                        ? ClusterView.FOLLOWER : ClusterView.NONE;
        ClusterView.Leader leaderView = null;
        if (leader.isKnown()) {
            String id = leader.hostId().orElseThrow();
            long epoch = status.isLeading() ? status.epoch() : leader.epoch().orElse(-1);
            leaderView = new ClusterView.Leader(id, epoch, since(id));
        }
        List<ClusterView.Host> hosts = membership.membership().hosts().stream().map(ZooKeeperCluster::host).toList();
        return new ClusterView(ClusterView.CLUSTER, leadership.hostId(), role, leaderView, hosts);
    }

    private static boolean followerPhase(LeaderStatus status) {
        return status.phase() == LeaderPhase.FOLLOWER;
    }

    /** When this host first saw {@code leader} lead (since it last changed). */
    private synchronized Instant since(String leader) {
        if (!leader.equals(lastLeader)) {
            lastLeader = leader;
            leaderSince = clock.instant();
        }
        return leaderSince;
    }

    private static ClusterView.Host host(Member m) {
        return new ClusterView.Host(m.hostId(), m.underlayIp() == null ? null : m.underlayIp().getHostAddress(),
                m.state().name().toLowerCase(Locale.ROOT), m.lostSince(), m.lastHeartbeat(),
                m.restUrl() == null ? null : m.restUrl().toString());
    }
}
