package io.fabricipam.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.cluster.ClusterHost;
import io.fabricipam.fabric.cluster.ClusterSettings;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /api/v1/cluster's view on a real (in-process) ZooKeeper with two hosts. */
class ZooKeeperClusterTest {

    final AtomicLong epochs = new AtomicLong(); // the store's leader_epoch, as claims bump it
    final List<ClusterHost> hosts = new ArrayList<>();
    TestingServer zookeeper;

    @AfterEach
    void tearDown() throws Exception {
        hosts.forEach(ClusterHost::close);
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    ZooKeeperCluster host(String id, String underlay) throws Exception {
        ClusterSettings settings = ClusterSettings.of(zookeeper.getConnectString(), id,
                (Inet4Address) InetAddress.getByName(underlay)).withRestUrl(URI.create("http://" + underlay + ":8080"));
        ClusterHost host = new ClusterHost(settings, claimant -> epochs.incrementAndGet(), Clock.systemUTC());
        hosts.add(host);
        host.start();
        return new ZooKeeperCluster(host.membership(), host.leadership(), Clock.systemUTC());
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as("within 10 s").isTrue();
    }

    @Test
    void bothHostsSeeOneLeaderWithItsEpochAndEveryHost() throws Exception {
        zookeeper = new TestingServer(true);
        ZooKeeperCluster a = host("zk-a", "192.0.2.10");
        await(() -> a.view().role().equals(ClusterView.LEADER));
        ZooKeeperCluster b = host("zk-b", "192.0.2.11");
        await(() -> b.view().role().equals(ClusterView.FOLLOWER) && b.view().hosts().size() == 2
                && b.view().leader() != null && b.view().leader().epoch() > 0);

        ClusterView seenByB = b.view();
        assertThat(seenByB.mode()).isEqualTo("cluster");
        assertThat(seenByB.self()).isEqualTo("zk-b");
        assertThat(seenByB.leader().hostId()).isEqualTo("zk-a");
        assertThat(seenByB.leader().epoch()).isEqualTo(1);
        assertThat(seenByB.hosts()).extracting(ClusterView.Host::hostId, ClusterView.Host::underlayIp,
                ClusterView.Host::state, ClusterView.Host::apiUrl).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("zk-a", "192.0.2.10", "up", "http://192.0.2.10:8080"),
                org.assertj.core.groups.Tuple.tuple("zk-b", "192.0.2.11", "up", "http://192.0.2.11:8080"));
        assertThat(a.view().leader().epoch()).isEqualTo(1);

        hosts.get(0).close(); // host a stops: b takes over at the next epoch and lists a as lost
        await(() -> b.view().role().equals(ClusterView.LEADER));
        assertThat(b.view().leader().epoch()).isEqualTo(2);
        await(() -> b.view().hosts().stream().anyMatch(h -> h.hostId().equals("zk-a") && h.state().equals("lost")));
        assertThat(b.view().hosts()).filteredOn(h -> h.hostId().equals("zk-a")).singleElement()
                .satisfies(h -> assertThat(h.lostSince()).isNotNull());
    }
}
