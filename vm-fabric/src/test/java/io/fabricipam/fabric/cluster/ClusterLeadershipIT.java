package io.fabricipam.fabric.cluster;

import static io.fabricipam.fabric.cluster.ClusterLab.BOUND;
import static io.fabricipam.fabric.cluster.ClusterLab.SESSION;
import static io.fabricipam.fabric.cluster.ClusterLab.await;
import static io.fabricipam.fabric.cluster.ClusterLab.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Membership and leadership of one to three hosts on a real ZooKeeper server (in process). */
@Timeout(60)
class ClusterLeadershipIT {

    private ClusterLab lab;
    private TestingServer zookeeper;

    @BeforeEach
    void start() throws Exception {
        lab = new ClusterLab();
        zookeeper = lab.server();
    }

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @Test
    void aSingleHostLeadsItselfWithTheEpochItClaimedAndPublishesIt() {
        ClusterHost host = lab.host(settings(zookeeper.getConnectString(), "cl-solo", "10.99.0.1"));

        await(() -> lab.isLeading(host.leadership().hostId()), BOUND, lab::describe);

        assertThat(host.leadership().status()).isEqualTo(LeaderStatus.leading(1));
        assertThat(lab.changes).extracting(change -> change.before() + "->" + change.after())
                .containsExactly("FOLLOWER->CLAIMING", "CLAIMING->LEADING(1)");
        assertThat(host.leadership().currentLeader()).isEqualTo(LeaderView.of("cl-solo", OptionalLong.of(1)));
        await(() -> host.membership().membership().host("cl-solo").map(m -> m.leaderEpoch().isPresent()).orElse(false),
                BOUND, () -> "the epoch in the membership node: " + host.membership().membership());
        Member self = host.membership().membership().host("cl-solo").orElseThrow();
        assertThat(self.state()).isEqualTo(HostState.UP);
        assertThat(self.underlayIp().getHostAddress()).isEqualTo("10.99.0.1");
        assertThat(self.leaderEpoch()).hasValue(1);
        assertThat(self.lostSince()).isNull();
    }

    @Test
    void threeHostsElectExactlyOneLeaderAndAllSeeTheSameLeaderAndMembers() {
        String connect = zookeeper.getConnectString();
        for (int i = 1; i <= 3; i++) {
            lab.host(settings(connect, "cl-host-" + i, "10.99.0." + i));
        }

        ClusterHost leader = lab.awaitOneLeader();
        long epoch = leader.leadership().status().epoch();
        for (ClusterHost host : lab.hosts) {
            await(() -> host.membership().membership().up().size() == 3
                            && host.leadership().currentLeader().epoch().isPresent(),
                    BOUND, () -> host.leadership().hostId() + " sees " + host.membership().membership());
        }

        for (ClusterHost host : lab.hosts) {
            assertThat(host.leadership().currentLeader())
                    .as("the leader according to %s", host.leadership().hostId())
                    .isEqualTo(LeaderView.of(leader.leadership().hostId(), OptionalLong.of(epoch)));
            Map<String, String> underlays = new java.util.TreeMap<>();
            host.membership().membership().hosts().forEach(m -> underlays.put(m.hostId(), m.underlayIp().getHostAddress()));
            assertThat(underlays).containsExactly(Map.entry("cl-host-1", "10.99.0.1"),
                    Map.entry("cl-host-2", "10.99.0.2"), Map.entry("cl-host-3", "10.99.0.3"));
        }
        assertThat(lab.leaders()).containsExactly(leader.leadership().hostId());
        assertThat(lab.epochs.get()).as("claims made").isEqualTo(1);
        // the others stay followers: nobody else even claimed
        assertThat(lab.changes).filteredOn(change -> !change.hostId().equals(leader.leadership().hostId())).isEmpty();
    }

    @Test
    void heartbeatsOfOtherHostsAdvance() {
        String connect = zookeeper.getConnectString();
        ClusterHost watcher = lab.host(settings(connect, "cl-watcher", "10.99.0.1"));
        lab.host(settings(connect, "cl-beating", "10.99.0.2"));
        await(() -> watcher.membership().membership().host("cl-beating").isPresent(), BOUND, () -> "cl-beating seen");
        Instant first = watcher.membership().membership().host("cl-beating").orElseThrow().lastHeartbeat();

        await(() -> watcher.membership().membership().host("cl-beating").orElseThrow().lastHeartbeat()
                        .isAfter(first.plusMillis(1500)), Duration.ofSeconds(5),
                () -> "two heartbeats after " + first + ": " + watcher.membership().membership());
    }

    @Test
    void aCrashedLeaderIsReplacedWithinTheSessionTimeoutAndShowsLostSinceThen() throws Exception {
        List<BlackholeProxy> proxies = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            BlackholeProxy proxy = lab.proxy("127.0.0.1", zookeeper.getPort());
            proxies.add(proxy);
            lab.isolatableHost(settings(proxy.connectString(), "cl-host-" + i, "10.99.0." + i));
        }
        ClusterHost old = lab.awaitOneLeader();
        String oldId = old.leadership().hostId();
        long oldEpoch = old.leadership().status().epoch();
        ClusterHost observer = lab.hosts.stream().filter(h -> h != old).findFirst().orElseThrow();
        await(() -> observer.membership().membership().up().size() == 3, BOUND, () -> "three members");

        Instant crashedAt = Instant.now();
        long crash = lab.now();
        proxies.get(lab.hosts.indexOf(old)).cut(); // the process is gone: its sockets close, its session stays
        await(() -> lab.leaders().stream().anyMatch(id -> !id.equals(oldId)), BOUND, lab::describe);
        long failover = lab.now() - crash;

        System.out.printf("cl failover after a crash: %d ms (session timeout %d ms)%n", failover / 1_000_000,
                SESSION.toMillis());
        assertThat(Duration.ofNanos(failover)).isLessThan(SESSION.plusSeconds(1));
        ClusterHost next = lab.awaitOneLeader();
        assertThat(next).isNotSameAs(old);
        assertThat(next.leadership().status().epoch()).isGreaterThan(oldEpoch);
        await(() -> observer.membership().membership().host(oldId).map(m -> m.state() == HostState.LOST)
                .orElse(false), BOUND, () -> "the old leader LOST: " + observer.membership().membership());
        Member lost = observer.membership().membership().host(oldId).orElseThrow();
        assertThat(lost.lostSince()).isBetween(crashedAt, Instant.now());
        assertThat(lost.underlayIp()).isEqualTo(old.membership().settings().underlayIp());
        assertThat(lost.leaderEpoch()).isEmpty();
        lab.assertNeverTwoLeaders();
    }

    @Test
    void aHostThatLeavesIsLostSinceThenAndOnlyTheLatestLossesAreKept() {
        String connect = zookeeper.getConnectString();
        ClusterHost watcher = lab.host(settings(connect, "cl-watcher", "10.99.0.1").withLostHostsKept(1));
        ClusterHost first = lab.host(settings(connect, "cl-first", "10.99.0.2"));
        ClusterHost second = lab.host(settings(connect, "cl-second", "10.99.0.3"));
        await(() -> watcher.membership().membership().up().size() == 3, BOUND, () -> "three members");

        Instant before = Instant.now();
        first.close();
        await(() -> watcher.membership().membership().host("cl-first").map(m -> m.state() == HostState.LOST)
                .orElse(false), BOUND, () -> "cl-first LOST: " + watcher.membership().membership());
        Member lost = watcher.membership().membership().host("cl-first").orElseThrow();
        assertThat(lost.lostSince()).isBetween(before, Instant.now());
        assertThat(lost.underlayIp().getHostAddress()).isEqualTo("10.99.0.2");
        assertThat(lost.lastHeartbeat()).isBeforeOrEqualTo(lost.lostSince());

        second.close();
        await(() -> watcher.membership().membership().host("cl-second").map(m -> m.state() == HostState.LOST)
                .orElse(false), BOUND, () -> "cl-second LOST: " + watcher.membership().membership());
        assertThat(watcher.membership().membership().hosts()).extracting(Member::hostId, Member::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cl-second", HostState.LOST),
                        org.assertj.core.groups.Tuple.tuple("cl-watcher", HostState.UP));
    }

    @Test
    void aHostWhoseEpochClaimFailsGivesLeadershipBackAndAnotherLeads() {
        String connect = zookeeper.getConnectString();
        AtomicInteger refused = new AtomicInteger();
        ClusterHost broken = lab.host(settings(connect, "cl-broken", "10.99.0.1"), hostId -> {
            refused.incrementAndGet();
            throw new IllegalStateException("the store is down");
        });
        await(() -> refused.get() >= 1, BOUND, () -> "a claim by cl-broken");
        ClusterHost healthy = lab.host(settings(connect, "cl-healthy", "10.99.0.2"));

        await(() -> lab.isLeading(healthy.leadership().hostId()), BOUND, lab::describe);

        assertThat(broken.leadership().isLeading()).isFalse();
        assertThat(broken.leadership().failedClaims()).isPositive();
        assertThat(lab.changes).filteredOn(change -> change.hostId().equals("cl-broken"))
                .allMatch(change -> !change.after().isLeading());
        await(() -> broken.leadership().currentLeader().hostId().orElse("").equals("cl-healthy"), BOUND,
                () -> "cl-broken sees cl-healthy lead: " + broken.leadership().currentLeader());
    }

    @Test
    void aClaimThatFailsOnceIsRetriedAfterTheBackoffAndOnlyThenLeads() {
        AtomicInteger calls = new AtomicInteger();
        ClusterHost host = lab.host(settings(zookeeper.getConnectString(), "cl-retry", "10.99.0.1"), hostId -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("serialization failure");
            }
            return 40 + calls.get();
        });

        await(() -> lab.isLeading(host.leadership().hostId()), BOUND, lab::describe);

        assertThat(host.leadership().status()).isEqualTo(LeaderStatus.leading(42));
        assertThat(lab.changes).extracting(change -> change.before() + "->" + change.after()).containsExactly(
                "FOLLOWER->CLAIMING", "CLAIMING->FOLLOWER", "FOLLOWER->CLAIMING", "CLAIMING->LEADING(42)");
        double gaveBack = lab.changes.get(1).seconds();
        double claimedAgain = lab.changes.get(2).seconds();
        assertThat((claimedAgain - gaveBack) * 1000).isGreaterThanOrEqualTo(Leadership.FIRST_BACKOFF.toMillis() - 10);
    }

    @Test
    void closingTheLeaderTellsItsListenersBeforeAnotherHostLeads() {
        String connect = zookeeper.getConnectString();
        lab.host(settings(connect, "cl-a", "10.99.0.1"));
        lab.host(settings(connect, "cl-b", "10.99.0.2"));
        ClusterHost leader = lab.awaitOneLeader();
        String leaderId = leader.leadership().hostId();
        long start = lab.now();

        leader.close();

        await(() -> lab.leaders().size() == 1 && !lab.leaders().get(0).equals(leaderId), BOUND, lab::describe);
        ClusterLab.Change stopped = lab.first(leaderId, start, change -> change.after() == LeaderStatus.CLOSED);
        String otherId = leaderId.equals("cl-a") ? "cl-b" : "cl-a";
        ClusterLab.Change took = lab.first(otherId, start, change -> change.after().isLeading());
        assertThat(stopped.nanos()).isLessThan(took.nanos());
        lab.assertNeverTwoLeaders();
        assertThat(leader.leadership().lifecycle()).isEqualTo(Lifecycle.CLOSED);
        assertThat(leader.membership().lifecycle()).isEqualTo(Lifecycle.CLOSED);
    }
}
