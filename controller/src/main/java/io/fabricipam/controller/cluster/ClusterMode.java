package io.fabricipam.controller.cluster;

import io.fabricipam.controller.dhcp.DhcpProperties;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Checks the configuration of cluster mode before anything starts (the early DHCP phase, or the context when
 * there is none), so that a cluster that cannot work refuses to start, naming the property, instead of
 * running as something else:
 * <ul>
 * <li>a cluster shares its scopes and leases in PostgreSQL: an embedded H2 URL (or any other) is refused;</li>
 * <li>every lease change is committed into that database before the reply leaves
 *     ({@code fabric.dhcp.journal=database}, the default in cluster mode): a journal file would stay on the
 *     host that wrote it, lost to the next leader, so {@code journal=file} is refused;</li>
 * <li>each host needs its tunnel endpoint ({@code fabric.cluster.underlay-ip}, an IPv4 address).</li>
 * </ul>
 * Without {@code fabric.cluster.zookeeper} nothing is checked and nothing changes.
 */
public final class ClusterMode {

    static final String ZOOKEEPER = "fabric.cluster.zookeeper";
    static final String UNDERLAY_IP = "fabric.cluster.underlay-ip";
    static final String SESSION_TIMEOUT = "fabric.cluster.session-timeout";
    static final String DATASOURCE_URL = "spring.datasource.url";
    static final String JOURNAL = "fabric.dhcp.journal";
    private static final String POSTGRESQL = "jdbc:postgresql:";
    /** Below this ZooKeeper's own tick (2 s by default, the minimum session being 2 ticks) refuses it anyway. */
    private static final Duration MIN_SESSION = Duration.ofSeconds(1);

    private ClusterMode() {
    }

    /** The cluster settings, checked; {@link ClusterProperties#SINGLE_HOST} when cluster mode is off. */
    public static ClusterProperties check(Environment environment) {
        ClusterProperties cluster = Binder.get(environment).bindOrCreate("fabric.cluster", ClusterProperties.class);
        if (!cluster.enabled()) {
            return cluster;
        }
        String url = environment.getProperty(DATASOURCE_URL, "");
        if (!url.toLowerCase(Locale.ROOT).startsWith(POSTGRESQL)) {
            throw new ClusterConfigurationException(DATASOURCE_URL, "cluster mode (" + ZOOKEEPER + " is set) needs the"
                    + " shared PostgreSQL database, not " + (url.isEmpty() ? "the embedded H2 database" : describe(url)),
                    "Set " + DATASOURCE_URL + "=jdbc:postgresql://HOST:5432/DATABASE (with spring.datasource.username and"
                            + " .password) on every host, or remove " + ZOOKEEPER + " to run a single host on H2.");
        }
        String journal = environment.getProperty(JOURNAL);
        if (journal != null && DhcpProperties.JournalMode.FILE.name().equalsIgnoreCase(journal.trim())) {
            throw new ClusterConfigurationException(JOURNAL, "cluster mode commits every lease change into the shared"
                    + " database before the reply; a journal file would stay on this host, out of the next leader's reach",
                    "Remove " + JOURNAL + " (cluster mode uses database) or set it to database.");
        }
        if (cluster.underlayIp() == null || cluster.underlayIp().isBlank()) {
            throw new ClusterConfigurationException(UNDERLAY_IP, "cluster mode needs this host's tunnel endpoint address",
                    "Set " + UNDERLAY_IP + " to the IPv4 address other hosts reach this host's VXLAN port at.");
        }
        if (!isIpv4Literal(cluster.underlayIp().trim())) {
            throw new ClusterConfigurationException(UNDERLAY_IP, "'" + cluster.underlayIp() + "' is not an IPv4 address",
                    "Set " + UNDERLAY_IP + " to a dotted IPv4 address such as 192.0.2.10.");
        }
        if (cluster.sessionTimeout().compareTo(MIN_SESSION) < 0) {
            throw new ClusterConfigurationException(SESSION_TIMEOUT, cluster.sessionTimeout().toMillis() + " ms is below"
                    + " what ZooKeeper accepts", "Set " + SESSION_TIMEOUT + " to at least 1s (default 4s).");
        }
        return cluster;
    }

    /**
     * Cluster mode runs from the application's own start (its early phase: {@code java -jar}, the launcher, the
     * unit), which joins the cluster before DHCP answers; an application context built another way (tests) has
     * no such phase, so there it is refused rather than run as a host that never elects.
     */
    public static void refuseWithoutEarlyPhase(ClusterProperties cluster) {
        if (cluster.enabled()) {
            throw new ClusterConfigurationException(ZOOKEEPER, "cluster mode starts only through the application's"
                    + " main (java -jar fabric-ipam.jar, scripts/fabric-ipam)", "Start the service with its jar, or"
                    + " remove " + ZOOKEEPER + ".");
        }
    }

    /** The DHCP settings cluster mode runs with: lease changes committed into the shared database. */
    public static DhcpProperties effective(DhcpProperties dhcp, ClusterProperties cluster) {
        return cluster.enabled() ? dhcp.withJournal(DhcpProperties.JournalMode.DATABASE) : dhcp;
    }

    private static boolean isIpv4Literal(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        try {
            return InetAddress.getByName(text) instanceof Inet4Address; // a literal: no name lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A JDBC URL for a message: its scheme and database kind, never a password. */
    private static String describe(String url) {
        int colon = url.indexOf(':', "jdbc:".length());
        return colon > 0 ? url.substring(0, colon) + ": ..." : "'" + url + "'";
    }
}
