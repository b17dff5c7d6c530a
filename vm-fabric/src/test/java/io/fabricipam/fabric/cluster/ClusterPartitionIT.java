package io.fabricipam.fabric.cluster;

import static io.fabricipam.fabric.cluster.ClusterLab.BOUND;
import static io.fabricipam.fabric.cluster.ClusterLab.SESSION;
import static io.fabricipam.fabric.cluster.ClusterLab.await;
import static io.fabricipam.fabric.cluster.ClusterLab.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.cluster.ClusterLab.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A leader cut off from ZooKeeper stops answering before any other host can lead: the order is read from the
 * hosts' own listeners, stamped with one monotonic clock.
 */
@Timeout(90)
class ClusterPartitionIT {

    private ClusterLab lab;

    @BeforeEach
    void start() {
        lab = new ClusterLab();
    }

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @Test
    void stoppingTheOnlyServerTheLeaderReachesStopsItBeforeAnotherHostLeads() throws Exception {
        TestingCluster cluster = lab.cluster(3);
        List<InstanceSpec> servers = new ArrayList<>(cluster.getInstances());
        String leaderOnly = address(servers.get(0));
        String others = address(servers.get(1)) + "," + address(servers.get(2));
        ClusterHost leader = lab.isolatableHost(settings(leaderOnly, "cl-p-1", "10.99.0.1"));
        await(() -> lab.isLeading(leader.leadership().hostId()), BOUND, lab::describe);
        lab.host(settings(others, "cl-p-2", "10.99.0.2"));
        lab.host(settings(others, "cl-p-3", "10.99.0.3"));
        await(() -> lab.hosts.stream().allMatch(h -> h.membership().membership().up().size() == 3), BOUND,
                () -> "three members everywhere");

        long cut = lab.now();
        assertThat(cluster.killServer(servers.get(0))).isTrue();
        await(() -> lab.leaders().size() == 1 && !lab.leaders().contains("cl-p-1"),
                SESSION.plus(BOUND), lab::describe);

        assertStoppedBeforeAnotherLed("cl-p-1", cut, "server stopped");
        lab.assertNeverTwoLeaders();
    }

    @Test
    void aLeaderWhoseServerStopsMovesToAnotherServerAndNoTwoHostsEverLeadAtOnce() throws Exception {
        TestingCluster cluster = lab.cluster(3);
        String all = cluster.getConnectString();
        for (int i = 1; i <= 3; i++) {
            lab.host(settings(all, "cl-m-" + i, "10.99.0." + i));
        }
        ClusterHost leader = lab.awaitOneLeader();
        long oldEpoch = leader.leadership().status().epoch();
        InstanceSpec itsServer = cluster.findConnectionInstance(leader.client().getZookeeperClient().getZooKeeper());

        long cut = lab.now();
        assertThat(cluster.killServer(itsServer)).isTrue();
        await(() -> lab.changes.stream().anyMatch(c -> c.nanos() >= cut && c.after().isLeading()), SESSION.plus(BOUND),
                lab::describe);

        String timeline = lab.changes.stream().filter(change -> change.nanos() >= cut)
                .map(change -> String.format("+%d ms %s %s->%s", (change.nanos() - cut) / 1_000_000, change.hostId(),
                        change.before(), change.after()))
                .collect(Collectors.joining("\n  "));
        System.out.printf("cl leader's server stopped, two left (session timeout %d ms):%n  %s%n", SESSION.toMillis(),
                timeline);
        // under the standard error policy the leader steps down on SUSPENDED even though its session survives
        assertThat(lab.first(leader.leadership().hostId(), cut, c -> c.after() == LeaderStatus.SUSPENDED)).isNotNull();
        ClusterHost next = lab.awaitOneLeader();
        assertThat(next.leadership().status().epoch()).isGreaterThan(oldEpoch);
        lab.assertNeverTwoLeaders();
    }

    @Test
    void aSilentPartitionStopsTheLeaderBeforeItsSessionExpires() throws Exception {
        TestingServer zookeeper = lab.server();
        BlackholeProxy link = lab.proxy("127.0.0.1", zookeeper.getPort());
        ClusterHost leader = lab.isolatableHost(settings(link.connectString(), "cl-s-1", "10.99.0.1"));
        await(() -> lab.isLeading(leader.leadership().hostId()), BOUND, lab::describe);
        lab.host(settings(zookeeper.getConnectString(), "cl-s-2", "10.99.0.2"));
        lab.host(settings(zookeeper.getConnectString(), "cl-s-3", "10.99.0.3"));
        await(() -> lab.hosts.stream().allMatch(h -> h.membership().membership().up().size() == 3), BOUND,
                () -> "three members everywhere");

        long cut = lab.now();
        link.blackhole(); // no close, no reset: neither side hears anything any more
        await(() -> lab.leaders().size() == 1 && !lab.leaders().contains("cl-s-1"),
                SESSION.plus(BOUND), lab::describe);

        long[] offsets = assertStoppedBeforeAnotherLed("cl-s-1", cut, "silent partition");
        // the client gives up after 2/3 of the session, the server only after all of it: a third to spare
        assertThat(offsets[1] - offsets[0]).as("ms between the old leader stopping and the new one leading")
                .isGreaterThan(SESSION.toMillis() / 6);
        lab.assertNeverTwoLeaders();
    }

    @Test
    void aPartitionedLeaderComesBackAsAFollowerAndRegistersAgainWithoutItsOldEpoch() throws Exception {
        TestingServer zookeeper = lab.server();
        BlackholeProxy link = lab.proxy("127.0.0.1", zookeeper.getPort());
        ClusterHost old = lab.isolatableHost(settings(link.connectString(), "cl-r-1", "10.99.0.1"));
        await(() -> lab.isLeading(old.leadership().hostId()), BOUND, lab::describe);
        ClusterHost observer = lab.host(settings(zookeeper.getConnectString(), "cl-r-2", "10.99.0.2"));
        await(() -> observer.membership().membership().host("cl-r-1").map(m -> m.leaderEpoch().isPresent())
                .orElse(false), BOUND, () -> "cl-r-1 published its epoch: " + observer.membership().membership());
        Member before = observer.membership().membership().host("cl-r-1").orElseThrow();

        link.blackhole();
        await(() -> observer.membership().membership().host("cl-r-1").map(m -> m.state() == HostState.LOST)
                .orElse(false), SESSION.plus(BOUND), () -> "cl-r-1 LOST: " + observer.membership().membership());
        await(() -> lab.isLeading("cl-r-2"), BOUND, lab::describe);
        link.heal();

        // a new session: PersistentNode creates the node again, from the record without the old epoch
        await(() -> observer.membership().membership().host("cl-r-1").map(m -> m.state() == HostState.UP)
                .orElse(false), BOUND, () -> "cl-r-1 UP again: " + observer.membership().membership());
        // PersistentNode may recreate the node from the record as it was when the session was lost (the epoch's
        // clearing is written on the membership's own thread, and skipped while the node has no path); the next
        // heartbeat carries the cleared record, so the old epoch is gone within one heartbeat interval
        await(() -> observer.membership().membership().host("cl-r-1").map(m -> m.leaderEpoch().isEmpty())
                .orElse(false), ClusterSettings.DEFAULT_HEARTBEAT_INTERVAL.multipliedBy(3), () -> "cl-r-1 without its old epoch: " + observer.membership().membership());
        Member after = observer.membership().membership().host("cl-r-1").orElseThrow();
        assertThat(after.leaderEpoch()).isEmpty();
        assertThat(after.startedAt()).isEqualTo(before.startedAt());
        assertThat(after.lostSince()).isNull();
        await(() -> old.leadership().status() == LeaderStatus.FOLLOWER, BOUND, lab::describe);
        await(() -> old.leadership().currentLeader().hostId().orElse("").equals("cl-r-2"), BOUND,
                () -> "cl-r-1 sees cl-r-2 lead: " + old.leadership().currentLeader());
        assertThat(observer.leadership().isLeading()).isTrue();
        lab.assertNeverTwoLeaders();
    }

    /** Returns {stopped, led} in ms after {@code cut}. */
    private long[] assertStoppedBeforeAnotherLed(String oldLeader, long cut, String what) {
        Change stopped = lab.first(oldLeader, cut, change -> change.before().isLeading() && !change.after().isLeading());
        Change took = lab.changes.stream()
                .filter(change -> change.nanos() >= cut && !change.hostId().equals(oldLeader) && change.after().isLeading())
                .findFirst().orElse(null);
        String timeline = lab.changes.stream().filter(change -> change.nanos() >= cut)
                .map(change -> String.format("+%d ms %s %s->%s", (change.nanos() - cut) / 1_000_000, change.hostId(),
                        change.before(), change.after()))
                .collect(Collectors.joining("\n  "));
        System.out.printf("cl %s (session timeout %d ms):%n  %s%n", what, SESSION.toMillis(), timeline);
        assertThat(stopped).as("the old leader reported that it stopped leading:%n  %s", timeline).isNotNull();
        assertThat(took).as("another host reported leading").isNotNull();
        assertThat(stopped.nanos()).as("stopped before another led:%n  %s", timeline).isLessThan(took.nanos());
        // whichever of the latch's listener and the connection's runs first on Curator's connection-state thread
        assertThat(lab.first(oldLeader, cut, change -> change.after() == LeaderStatus.SUSPENDED)).isNotNull();
        return new long[] {(stopped.nanos() - cut) / 1_000_000, (took.nanos() - cut) / 1_000_000};
    }

    private static String address(InstanceSpec spec) {
        String host = spec.getHostname();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + spec.getPort();
    }
}
