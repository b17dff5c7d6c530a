package io.fabricipam.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;

import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.DhcpListener;
import io.fabricipam.dhcp.server.DhcpResponder;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.RequestContext;
import io.fabricipam.dhcp.server.ResponderSettings;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.store.InMemoryLeaseStore;
import io.fabricipam.dhcp.store.InMemoryScopeStore;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Only the leader answers, and only from what the store holds after its takeover. */
class LeaderDhcpTest {

    static final Instant T0 = Instant.parse("2026-12-06T22:00:00Z");
    static final RequestContext LINK = RequestContext.onLink(List.of(Ipv4Address.parse("10.20.0.1")), "test:eth0");
    static final String PREVIOUS_CLIENT = "02:00:00:00:00:42";

    final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    final InMemoryScopeStore scopes = spy(new InMemoryScopeStore());
    final InMemoryLeaseStore leases = new InMemoryLeaseStore();
    final AtomicLong epoch = new AtomicLong();
    StoreLeaseJournal journal;
    DhcpServer server;
    ScopeAdministration administration;
    LeaderDhcp leader;
    Scope lab;

    @BeforeEach
    void setUp() {
        lab = scopes.save(new Scope(UUID.randomUUID(), "lab", Ipv4Network.parse("10.20.0.0/24"),
                Ipv4Address.parse("10.20.0.1"), 0, List.of(AddressRange.of("10.20.0.100", "10.20.0.199")), List.of(), 3600,
                null, null, null, null, null, 0));
        journal = new StoreLeaseJournal(leases, 64);
        journal.start();
        ScopeDirectory directory = new ScopeDirectory();
        administration = new ScopeAdministration(directory, scopes, leases, journal, clock);
        server = new DhcpServer(directory, journal, new DhcpResponder(ResponderSettings.DEFAULTS), clock, DhcpListener.NONE);
        leader = new LeaderDhcp(server, administration, epoch);
    }

    @AfterEach
    void tearDown() {
        leader.close();
        journal.close();
    }

    /** A lease the previous leader committed to the shared store: this host has never seen it. */
    Lease committedByThePreviousLeader() {
        MacAddress mac = MacAddress.parse(PREVIOUS_CLIENT);
        Lease lease = new Lease(lab.id(), Ipv4Address.parse("10.20.0.150"), ClientKey.ofHardware(mac), mac, null,
                LeaseState.BOUND, T0, T0.plusSeconds(3600), "host-a:eth0");
        leases.apply(List.of(new LeaseChange(null, lease, LeaseEvent.of(LeaseEventType.BOUND, lease, T0, null), true)));
        return lease;
    }

    DhcpServer.Outcome initReboot(String mac, String address) throws Exception {
        return server.handle(ClientPacket.request().mac(mac).requested(address).decoded(), LINK).get(5, TimeUnit.SECONDS);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition within 5 s").isTrue();
    }

    @Test
    void aFollowerAnswersNobody() throws Exception {
        DhcpServer.Outcome outcome = server.handle(ClientPacket.discover().mac("02:00:00:00:00:01").decoded(), LINK)
                .get(5, TimeUnit.SECONDS);
        assertThat(outcome.reply()).isNull();
        assertThat(outcome.dropped()).isEqualTo(DropReason.NOT_LEADER);
        assertThat(leader.state()).isEqualTo(LeaderDhcp.State.FOLLOWING);
    }

    @Test
    void aNewLeaderReloadsTheStoreThenAnswersAndWritesWithItsEpoch() throws Exception {
        Lease previous = committedByThePreviousLeader();

        leader.leading(7);
        await(() -> leader.state() == LeaderDhcp.State.LEADING);

        assertThat(epoch.get()).isEqualTo(7);
        DhcpServer.Outcome renewal = initReboot(PREVIOUS_CLIENT, previous.address().toString());
        assertThat(renewal.reply()).isNotNull();
        assertThat(renewal.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
        assertThat(renewal.reply().yiaddr()).isEqualTo(previous.address());
    }

    @Test
    void losingLeadershipStopsAnswersAtOnce() throws Exception {
        leader.leading(1);
        await(() -> leader.state() == LeaderDhcp.State.LEADING);
        assertThat(server.isActive()).isTrue();

        leader.notLeading();

        assertThat(server.isActive()).as("inactive when notLeading returns").isFalse();
        assertThat(initReboot("02:00:00:00:00:09", "10.20.0.120").dropped()).isEqualTo(DropReason.NOT_LEADER);
    }

    @Test
    void aTakeoverOvertakenByALossNeverSwitchesTheServerOn() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        doAnswer(call -> {
            loading.countDown();
            assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
            return call.callRealMethod();
        }).when(scopes).scopes();

        leader.leading(2);
        assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
        leader.notLeading(); // suspended while the takeover still loads
        release.countDown();
        Thread.sleep(200);

        assertThat(leader.state()).isEqualTo(LeaderDhcp.State.FOLLOWING);
        assertThat(server.isActive()).isFalse();
        assertThat(epoch.get()).as("the lost epoch never reaches the store's writes").isZero();
    }

    @Test
    void aTakeoverThatCannotLoadDoesNotAnswerUntilTheStoreIsBack() throws Exception {
        AtomicLong failures = new AtomicLong(2);
        doAnswer(call -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("database gone");
            }
            return call.callRealMethod();
        }).when(scopes).scopes();
        doAnswer(call -> {
            throw new IllegalStateException("database gone");
        }).when(scopes).entries();

        leader.leading(3);
        Thread.sleep(100);
        assertThat(server.isActive()).as("the first load failed").isFalse();
        assertThat(leader.state()).isEqualTo(LeaderDhcp.State.TAKING_OVER);

        await(() -> leader.state() == LeaderDhcp.State.LEADING); // third try, 250 + 500 ms later
        assertThat(server.isActive()).isTrue();
        assertThat(epoch.get()).isEqualTo(3);
    }
}
