package io.fabricipam.fabric.cluster;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.opentest4j.AssertionFailedError;

/** Real ZooKeeper servers and hosts for the cluster ITs, and a shared monotonic clock for their events. */
final class ClusterLab implements AutoCloseable {

    /** Small ticks so that session expiry is not rounded up by a second; sessions up to a minute allowed. */
    static final int TICK_MS = 100;
    static final Duration SESSION = ClusterSettings.DEFAULT_SESSION_TIMEOUT;
    static final Duration BOUND = Duration.ofSeconds(20);

    /** What the shared store would do: one epoch counter for the whole fabric. */
    final AtomicLong epochs = new AtomicLong();
    final List<ClusterHost> hosts = new ArrayList<>();
    /** Every leadership change of every host, in the order they happened, stamped with one monotonic clock. */
    final List<Change> changes = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final long origin = System.nanoTime();

    record Change(long nanos, String hostId, LeaderStatus before, LeaderStatus after) {
        double seconds() {
            return nanos / 1e9;
        }
    }

    static InstanceSpec spec() {
        return new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MS, -1,
                Map.of("maxSessionTimeout", "60000"));
    }

    TestingServer server() throws Exception {
        TestingServer server = new TestingServer(spec(), true);
        resources.add(server);
        return server;
    }

    TestingCluster cluster(int size) throws Exception {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            specs.add(spec());
        }
        TestingCluster cluster = new TestingCluster(specs);
        resources.add(cluster);
        cluster.start();
        return cluster;
    }

    BlackholeProxy proxy(String host, int port) throws Exception {
        BlackholeProxy proxy = new BlackholeProxy(host, port);
        resources.add(proxy);
        return proxy;
    }

    static ClusterSettings settings(String connect, String hostId, String underlay) {
        return ClusterSettings.of(connect, hostId, ip(underlay)).withBasePath("/cl-fabric");
    }

    /** A started host whose claims come from {@link #epochs}. */
    ClusterHost host(ClusterSettings settings) {
        return host(settings, hostId -> epochs.incrementAndGet());
    }

    ClusterHost host(ClusterSettings settings, EpochClaim claim) {
        return host(new ClusterHost(settings, claim, Clock.systemUTC()));
    }

    /**
     * A host that reaches only the servers in its connect string: Curator's ensemble tracker would otherwise
     * learn the others from ZooKeeper and move there, and the host would not be partitioned at all.
     */
    ClusterHost isolatableHost(ClusterSettings settings) {
        return host(new ClusterHost(ClusterHost.clientBuilder(settings).ensembleTracker(false).build(), settings,
                hostId -> epochs.incrementAndGet(), Clock.systemUTC()));
    }

    private ClusterHost host(ClusterHost host) {
        ClusterSettings settings = host.membership().settings();
        host.leadership().addListener((before, after) ->
                changes.add(new Change(System.nanoTime() - origin, settings.hostId(), before, after)));
        hosts.add(host);
        host.start();
        return host;
    }

    long now() {
        return System.nanoTime() - origin;
    }

    /**
     * The hosts whose listeners last heard LEADING. Read from the recorded changes, not from the status, which is
     * set just before the listeners run: a test that waits on this can then read the change it waited for.
     */
    List<String> leaders() {
        return hosts.stream().map(host -> host.leadership().hostId()).filter(this::isLeading).toList();
    }

    /** Whether the last change the listener of {@code hostId} heard is to LEADING. */
    boolean isLeading(String hostId) {
        LeaderStatus last = LeaderStatus.FOLLOWER;
        for (Change change : changes) {
            if (change.hostId().equals(hostId)) {
                last = change.after();
            }
        }
        return last.isLeading();
    }

    /** The one host LEADING, once its listener has recorded it too (the status is set just before). */
    ClusterHost awaitOneLeader() {
        await(() -> leaders().size() == 1, BOUND, () -> "exactly one leader among " + describe());
        String leader = leaders().get(0);
        return hosts.stream().filter(host -> host.leadership().hostId().equals(leader)).findFirst().orElseThrow();
    }

    /**
     * Replays every host's reported changes in the order they happened and fails if two hosts reported LEADING
     * at the same time.
     */
    void assertNeverTwoLeaders() {
        java.util.Set<String> leading = new java.util.HashSet<>();
        List<Change> inOrder = new ArrayList<>(changes);
        inOrder.sort(java.util.Comparator.comparingLong(Change::nanos));
        for (Change change : inOrder) {
            if (change.after().isLeading()) {
                leading.add(change.hostId());
            } else {
                leading.remove(change.hostId());
            }
            if (leading.size() > 1) {
                throw new AssertionFailedError("two leaders at +" + change.nanos() / 1_000_000 + " ms: " + leading
                        + " in " + changes);
            }
        }
    }

    /** The first change of {@code hostId} matching {@code which}, after {@code since} (monotonic nanos). */
    Change first(String hostId, long since, java.util.function.Predicate<Change> which) {
        return changes.stream().filter(c -> c.hostId().equals(hostId) && c.nanos() >= since && which.test(c))
                .findFirst().orElse(null);
    }

    String describe() {
        List<String> states = new ArrayList<>();
        for (ClusterHost host : hosts) {
            states.add(host.leadership().hostId() + "=" + host.leadership().status());
        }
        return states.toString();
    }

    static void await(BooleanSupplier condition, Duration bound, Supplier<String> what) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("not within " + bound.toMillis() + " ms: " + what.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionFailedError("interrupted waiting for " + what.get());
            }
        }
    }

    static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Hosts first (those still connected end their sessions cleanly), then proxies and servers. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (ClusterHost host : hosts) {
            try {
                host.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
