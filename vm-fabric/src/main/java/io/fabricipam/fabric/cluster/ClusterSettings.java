package io.fabricipam.fabric.cluster;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How this host joins the fabric's cluster: plain values, validated here so that a wrong property fails the
 * start with a message naming it (the controller binds them from {@code fabric.cluster.*}).
 *
 * <p>The session timeout decides the failover time: a crashed leader's ZooKeeper session, and with it its
 * latch node, lives for one session timeout after its last heartbeat; a partitioned leader stops answering
 * after about two thirds of it (see {@link Leadership}). The ZooKeeper servers clamp the session timeout to
 * [2, 20] ticks: a 4 s session needs a server {@code tickTime} of at most 2,000 ms (ZooKeeper's default).
 *
 * @param zookeeper          {@code fabric.cluster.zookeeper}: {@code host:port[,host:port...]}
 * @param hostId             {@code fabric.cluster.host-id}: this host's name in the cluster (default: the
 *                           hostname, {@link #localHostId()}); one ZooKeeper node name, so no {@code /}
 * @param underlayIp         {@code fabric.cluster.underlay-ip}: this host's VXLAN tunnel endpoint
 * @param restUrl            base URL of this host's REST API, for problems that name the leader's URL;
 *                           null when unknown
 * @param sessionTimeout     {@code fabric.cluster.session-timeout} (default 4 s)
 * @param connectionTimeout  how long one ZooKeeper operation waits for a connection (default 3 s)
 * @param basePath           the fabric's root node in ZooKeeper (default {@code /fabric-ipam})
 * @param heartbeatInterval  how often this host refreshes the heartbeat in its membership node (default 1 s;
 *                           at most half the session timeout)
 * @param lostHostsKept      how many vanished hosts the membership remembers as LOST (default 64)
 */
public record ClusterSettings(String zookeeper, String hostId, Inet4Address underlayIp, URI restUrl,
                              Duration sessionTimeout, Duration connectionTimeout, String basePath,
                              Duration heartbeatInterval, int lostHostsKept) {

    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(4);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    public static final String DEFAULT_BASE_PATH = "/fabric-ipam";
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_LOST_HOSTS_KEPT = 64;

    /** ZooKeeper refuses sessions shorter than two ticks; below a second a GC pause alone would expire it. */
    static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(1);
    /** Longer than this and a failover takes minutes, which nobody means to configure. */
    static final Duration MAX_SESSION_TIMEOUT = Duration.ofMinutes(2);
    static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofMillis(100);
    /** ZooKeeper's limit on a node name is the path length; a host id longer than a DNS name is a mistake. */
    static final int MAX_HOST_ID_LENGTH = 253;

    private static final Pattern HOST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern SERVER = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):(\\d{1,5})");
    private static final Pattern BASE_PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    public ClusterSettings {
        zookeeper = requireConnectString(zookeeper);
        hostId = requireHostId(hostId);
        if (underlayIp == null) {
            throw new IllegalArgumentException("fabric.cluster.underlay-ip is required in cluster mode: this host's"
                    + " VXLAN tunnel endpoint address");
        }
        if (underlayIp.isAnyLocalAddress() || underlayIp.isMulticastAddress()
                || underlayIp.getHostAddress().equals("255.255.255.255")) {
            throw new IllegalArgumentException("fabric.cluster.underlay-ip must be a unicast address of this host,"
                    + " not " + underlayIp.getHostAddress());
        }
        if (restUrl != null && (restUrl.getScheme() == null || restUrl.getHost() == null)) {
            throw new IllegalArgumentException("the REST URL of this host must be absolute (http://host:port), not "
                    + restUrl);
        }
        requireBetween("fabric.cluster.session-timeout", sessionTimeout, MIN_SESSION_TIMEOUT, MAX_SESSION_TIMEOUT);
        requireBetween("fabric.cluster.connection-timeout", connectionTimeout, Duration.ofMillis(100),
                MAX_SESSION_TIMEOUT);
        if (basePath == null || !BASE_PATH.matcher(basePath).matches()) {
            throw new IllegalArgumentException("fabric.cluster.base-path must be an absolute ZooKeeper path without"
                    + " a trailing slash (e.g. " + DEFAULT_BASE_PATH + "), not " + quoted(basePath));
        }
        requireBetween("fabric.cluster.heartbeat-interval", heartbeatInterval, MIN_HEARTBEAT_INTERVAL,
                sessionTimeout.dividedBy(2));
        if (lostHostsKept < 0) {
            throw new IllegalArgumentException("fabric.cluster.lost-hosts-kept must not be negative");
        }
    }

    /** Cluster settings with the defaults for everything but the three values each host must give. */
    public static ClusterSettings of(String zookeeper, String hostId, Inet4Address underlayIp) {
        return new ClusterSettings(zookeeper, hostId, underlayIp, null, DEFAULT_SESSION_TIMEOUT,
                DEFAULT_CONNECTION_TIMEOUT, DEFAULT_BASE_PATH, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_LOST_HOSTS_KEPT);
    }

    /**
     * The contract's default host id: this machine's hostname as the kernel knows it (what {@code hostname}
     * prints), else what the resolver says.
     */
    public static String localHostId() {
        try {
            String kernel = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
            if (HOST_ID.matcher(kernel).matches()) {
                return kernel;
            }
        } catch (java.io.IOException | RuntimeException notLinux) {
            // not Linux, or no /proc: fall back to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve this host's name: set fabric.cluster.host-id", e);
        }
    }

    public ClusterSettings withRestUrl(URI restUrl) {
        return new ClusterSettings(zookeeper, hostId, underlayIp, restUrl, sessionTimeout, connectionTimeout,
                basePath, heartbeatInterval, lostHostsKept);
    }

    public ClusterSettings withSessionTimeout(Duration sessionTimeout) {
        return new ClusterSettings(zookeeper, hostId, underlayIp, restUrl, sessionTimeout, connectionTimeout,
                basePath, heartbeatInterval, lostHostsKept);
    }

    public ClusterSettings withConnectionTimeout(Duration connectionTimeout) {
        return new ClusterSettings(zookeeper, hostId, underlayIp, restUrl, sessionTimeout, connectionTimeout,
                basePath, heartbeatInterval, lostHostsKept);
    }

    public ClusterSettings withBasePath(String basePath) {
        return new ClusterSettings(zookeeper, hostId, underlayIp, restUrl, sessionTimeout, connectionTimeout,
                basePath, heartbeatInterval, lostHostsKept);
    }

    public ClusterSettings withHeartbeatInterval(Duration heartbeatInterval) {
        return new ClusterSettings(zookeeper, hostId, underlayIp, restUrl, sessionTimeout, connectionTimeout,
                basePath, heartbeatInterval, lostHostsKept);
    }

    public ClusterSettings withLostHostsKept(int lostHostsKept) {
        return new ClusterSettings(zookeeper, hostId, underlayIp, restUrl, sessionTimeout, connectionTimeout,
                basePath, heartbeatInterval, lostHostsKept);
    }

    /** {@code <base>/hosts}: one ephemeral node per live host. */
    public String hostsPath() {
        return basePath + "/hosts";
    }

    /** {@code <base>/hosts/<hostId>}: this host's membership node. */
    public String hostPath() {
        return hostsPath() + "/" + hostId;
    }

    /** {@code <base>/leader}: the {@code LeaderLatch}. */
    public String leaderPath() {
        return basePath + "/leader";
    }

    private static String requireConnectString(String zookeeper) {
        if (zookeeper == null || zookeeper.isBlank()) {
            throw new IllegalArgumentException("fabric.cluster.zookeeper is required in cluster mode:"
                    + " host:port[,host:port...]");
        }
        String trimmed = zookeeper.trim();
        for (String server : trimmed.split(",", -1)) {
            var matcher = SERVER.matcher(server.trim());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("fabric.cluster.zookeeper must be host:port[,host:port...];"
                        + " " + quoted(server) + " is not host:port");
            }
            int port = Integer.parseInt(matcher.group(2));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("fabric.cluster.zookeeper: port " + port + " of "
                        + quoted(server) + " is outside 1-65535");
            }
        }
        return trimmed;
    }

    private static String requireHostId(String hostId) {
        if (hostId == null || hostId.isBlank()) {
            throw new IllegalArgumentException("fabric.cluster.host-id must not be blank (default: the hostname)");
        }
        if (hostId.length() > MAX_HOST_ID_LENGTH || !HOST_ID.matcher(hostId).matches()) {
            throw new IllegalArgumentException("fabric.cluster.host-id must be at most " + MAX_HOST_ID_LENGTH
                    + " letters, digits, '.', '_' or '-' starting with a letter or digit, not " + quoted(hostId));
        }
        return hostId;
    }

    private static void requireBetween(String property, Duration value, Duration min, Duration max) {
        if (value == null) {
            throw new IllegalArgumentException(property + " is required");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(property + " must be between " + min.toMillis() + " ms and "
                    + max.toMillis() + " ms, not " + value.toMillis() + " ms");
        }
    }

    private static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return "\"" + cut.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
