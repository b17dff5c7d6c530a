package io.fabricipam.fabric.cluster;

import java.io.Closeable;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;

/**
 * This host in a cluster: its own Curator client (built from {@link ClusterSettings}), its
 * {@link HostMembership} and its {@link Leadership}, started and closed together in the right order.
 *
 * <p>The client keeps Curator's default {@code StandardConnectionStateErrorPolicy} (SUSPENDED is an error
 * state: the latch drops leadership on it) and its default simulated session expiration (LOST after a whole
 * session timeout in SUSPENDED). Retries back off from 100 ms to at most 1 s, so that a host reconnects
 * within about a second of ZooKeeper coming back.
 *
 * <p>Lifecycle: {@link #start()} starts the client, then the membership, then the leadership; {@link #close()}
 * stops in reverse: leadership first (listeners hear CLOSED before anything else is torn down), then the
 * membership, then the client (which ends the session, so the ephemeral nodes vanish at once).
 */
public final class ClusterHost implements Closeable {

    private static final int RETRY_FIRST_MS = 100;
    private static final int RETRY_MAX_MS = 1000;
    /** With 1 s between tries, about half a minute of retrying one operation before it fails. */
    private static final int RETRY_MAX_TRIES = 29;

    private final CuratorFramework client;
    private final HostMembership membership;
    private final Leadership leadership;

    public ClusterHost(ClusterSettings settings, EpochClaim epochClaim, Clock clock) {
        this(clientBuilder(settings).build(), settings, epochClaim, clock);
    }

    /**
     * With a client built by the caller from {@link #clientBuilder} (for example with authentication added); it
     * is started by {@link #start()} and closed by {@link #close()}.
     */
    public ClusterHost(CuratorFramework client, ClusterSettings settings, EpochClaim epochClaim, Clock clock) {
        this.client = client;
        this.membership = new HostMembership(client, settings, clock);
        this.leadership = new Leadership(client, settings, membership, epochClaim);
    }

    /**
     * A Curator client builder with the settings' connect string and timeouts. Curator's ensemble tracker stays
     * on: the client learns every server of the ensemble from ZooKeeper's own configuration, so it can move to a
     * server that was not in {@code fabric.cluster.zookeeper}.
     */
    public static CuratorFrameworkFactory.Builder clientBuilder(ClusterSettings settings) {
        return CuratorFrameworkFactory.builder()
                .connectString(settings.zookeeper())
                .sessionTimeoutMs(Math.toIntExact(settings.sessionTimeout().toMillis()))
                .connectionTimeoutMs(Math.toIntExact(settings.connectionTimeout().toMillis()))
                .retryPolicy(new BoundedExponentialBackoffRetry(RETRY_FIRST_MS, RETRY_MAX_MS, RETRY_MAX_TRIES));
    }

    public void start() {
        client.start();
        membership.start();
        leadership.start();
    }

    public CuratorFramework client() {
        return client;
    }

    public HostMembership membership() {
        return membership;
    }

    public Leadership leadership() {
        return leadership;
    }

    @Override
    public void close() {
        try {
            leadership.close();
            membership.close();
        } finally {
            client.close();
        }
    }
}
