package io.fabricipam.controller.cluster;

import io.fabricipam.api.store.JdbcLeaderEpochStore;
import io.fabricipam.controller.dhcp.ConfiguredScopes;
import io.fabricipam.controller.dhcp.DhcpCore;
import io.fabricipam.api.scope.ScopeSpec;
import io.fabricipam.dhcp.store.ScopeStore;
import io.fabricipam.fabric.cluster.ClusterHost;
import io.fabricipam.fabric.cluster.ClusterSettings;
import io.fabricipam.fabric.cluster.LeaderPhase;
import io.fabricipam.fabric.cluster.LeaderStatus;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host in cluster mode: its ZooKeeper membership and leadership ({@link ClusterHost}), and what follows from
 * them for DHCP. Leading (at an epoch the store granted) -> the scope follower stops and {@link LeaderDhcp}
 * reloads the store, applies the configuration's scopes, writes at that epoch and answers; anything else ->
 * not answering at once, and the {@link ScopeFollower} keeps the scopes as the leader changes them.
 *
 * <p>Lifecycle: {@link #start} (the DHCP core is started, its server not answering; the UDP front end may
 * start after this) -> running -> {@link #close()}: not answering, leadership given up (another host takes
 * over without waiting for a session to expire), membership left; then the front ends and the core stop.
 */
public final class ClusterRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterRuntime.class);

    private final ClusterHost host;
    private final LeaderDhcp leaderDhcp;
    private final ScopeFollower follower;
    private final ZooKeeperCluster status;

    private ClusterRuntime(ClusterHost host, LeaderDhcp leaderDhcp, ScopeFollower follower, ZooKeeperCluster status) {
        this.host = host;
        this.leaderDhcp = leaderDhcp;
        this.follower = follower;
        this.status = status;
    }

    /**
     * @param writerEpoch the epoch the core's (fenced) lease store writes with
     * @param configured  the configuration file's scopes: applied by whichever host leads, after its takeover
     * @param serverPort  this host's HTTP port, for the default API URL
     * @param openFlow    whether the OpenFlow front end runs (its guests are not forwarded to the leader yet)
     */
    public static ClusterRuntime start(ClusterProperties properties, DhcpCore core, ScopeStore scopeStore,
            DataSource dataSource, AtomicLong writerEpoch, List<ScopeSpec> configured, int serverPort, boolean openFlow,
            Clock clock) {
        ClusterSettings settings = settings(properties, serverPort);
        LeaderDhcp leaderDhcp = new LeaderDhcp(core.server(), core.administration(), writerEpoch,
                () -> ConfiguredScopes.apply(core.directory(), core.administration(), configured));
        ScopeFollower follower = new ScopeFollower(scopeStore, core.administration(), ScopeFollower.INTERVAL);
        JdbcLeaderEpochStore epochs = new JdbcLeaderEpochStore(dataSource, clock);
        ClusterHost host = new ClusterHost(settings, epochs::claim, clock);
        host.leadership().addListener((before, after) -> {
            if (after.isLeading()) {
                follower.stop(); // this host writes now: its memory is current once the takeover has loaded
                leaderDhcp.leading(after.epoch());
            } else {
                leaderDhcp.notLeading();
                if (after.phase() != LeaderPhase.CLOSED) {
                    follower.start();
                }
            }
            log.info("cluster: {} -> {} (leader: {})", before, after, host.leadership().currentLeader());
        });
        follower.start();
        host.start();
        if (openFlow) {
            log.warn("cluster: guests on this host's OVS bridges are answered only while this host leads; their"
                    + " forwarding to the leader over VXLAN is not wired into the application yet (relay agents with"
                    + " every host as a helper address are served by whichever host leads)");
        }
        log.info("cluster: host {} (underlay {}, API {}) joined {}; session timeout {} ms", settings.hostId(),
                settings.underlayIp().getHostAddress(), settings.restUrl(), settings.zookeeper(),
                settings.sessionTimeout().toMillis());
        return new ClusterRuntime(host, leaderDhcp, follower, new ZooKeeperCluster(host.membership(), host.leadership(), clock));
    }

    static ClusterSettings settings(ClusterProperties p, int serverPort) {
        Inet4Address underlay;
        try {
            underlay = (Inet4Address) InetAddress.getByName(p.underlayIp().trim()); // a literal (ClusterMode checked)
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalStateException("fabric.cluster.underlay-ip: " + p.underlayIp(), e);
        }
        String hostId = p.hostId() == null || p.hostId().isBlank() ? ClusterSettings.localHostId() : p.hostId().trim();
        URI api = URI.create(p.apiUrl() != null && !p.apiUrl().isBlank() ? p.apiUrl().trim()
                : "http://" + underlay.getHostAddress() + ":" + serverPort);
        return ClusterSettings.of(p.zookeeper().trim(), hostId, underlay).withRestUrl(api)
                .withSessionTimeout(p.sessionTimeout()).withConnectionTimeout(p.connectionTimeout());
    }

    public ClusterStatus status() {
        return status;
    }

    public LeaderStatus leaderStatus() {
        return host.leadership().status();
    }

    @Override
    public void close() {
        leaderDhcp.notLeading();
        follower.close();
        host.close();
        leaderDhcp.close();
    }
}
