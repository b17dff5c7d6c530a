package io.fabricipam.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.ScopeState;
import io.fabricipam.dhcp.store.InMemoryLeaseStore;
import io.fabricipam.dhcp.store.InMemoryScopeStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A leader and a follower over one store (as two hosts over the shared PostgreSQL): the follower's directory
 * follows every change the leader makes, within a second.
 */
class ScopeFollowerTest {

    static final Duration WITHIN = Duration.ofSeconds(1);

    final InMemoryScopeStore scopes = new InMemoryScopeStore();
    final InMemoryLeaseStore leases = new InMemoryLeaseStore();
    final Clock clock = Clock.systemUTC();
    StoreLeaseJournal leaderJournal;
    StoreLeaseJournal followerJournal;
    ScopeAdministration leader;
    ScopeDirectory followerDirectory;
    ScopeFollower follower;

    @BeforeEach
    void setUp() {
        leaderJournal = new StoreLeaseJournal(leases, 64);
        leaderJournal.start();
        leader = new ScopeAdministration(new ScopeDirectory(), scopes, leases, leaderJournal, clock);
        followerJournal = new StoreLeaseJournal(leases, 64);
        followerJournal.start();
        followerDirectory = new ScopeDirectory();
        ScopeAdministration followerAdministration = new ScopeAdministration(followerDirectory, scopes, leases,
                followerJournal, clock);
        followerAdministration.load();
        follower = new ScopeFollower(scopes, followerAdministration, Duration.ofMillis(100));
        follower.start();
    }

    @AfterEach
    void tearDown() {
        follower.close();
        leaderJournal.close();
        followerJournal.close();
    }

    static Scope lab(UUID id) {
        return new Scope(id, "lab", Ipv4Network.parse("10.20.0.0/24"), Ipv4Address.parse("10.20.0.1"), 0,
                List.of(AddressRange.of("10.20.0.100", "10.20.0.199")), List.of(), 3600, null, null, null, null, null, 0);
    }

    long millisUntil(BooleanSupplier condition) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - t0).as("seen by the follower within " + WITHIN).isLessThan(WITHIN.toNanos());
            Thread.sleep(10);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    ScopeState followed(UUID id) {
        return followerDirectory.state(id).orElseThrow();
    }

    @Test
    void createUpdateReserveUnreserveAndDeleteReachTheFollower() throws Exception {
        UUID id = UUID.randomUUID();
        Scope created = leader.create(lab(id));
        millisUntil(() -> followerDirectory.state(id).isPresent());
        assertThat(followed(id).scope()).isEqualTo(created);

        Scope updated = leader.update(created.withPools(List.of(AddressRange.of("10.20.0.100", "10.20.0.149"))));
        millisUntil(() -> followed(id).scope().version() == updated.version());
        assertThat(followed(id).scope().pools()).containsExactly(AddressRange.of("10.20.0.100", "10.20.0.149"));

        MacAddress mac = MacAddress.parse("02:00:00:00:00:07");
        leader.reserve(id, mac, Ipv4Address.parse("10.20.0.120"), "vm-7");
        millisUntil(() -> followed(id).reservationOf(mac) != null);
        assertThat(followed(id).reservationOf(mac).address()).isEqualTo(Ipv4Address.parse("10.20.0.120"));

        leader.unreserve(id, mac);
        millisUntil(() -> followed(id).reservationOf(mac) == null);

        leader.delete(id, false);
        millisUntil(() -> followerDirectory.state(id).isEmpty());
    }

    @Test
    void aStoppedFollowerLooksAtEverythingWhenItStartsAgain() throws Exception {
        follower.stop();
        UUID id = UUID.randomUUID();
        leader.create(lab(id));
        Thread.sleep(300);
        assertThat(followerDirectory.state(id)).as("not following while stopped (leading)").isEmpty();

        follower.start();
        millisUntil(() -> followerDirectory.state(id).isPresent());
    }
}
