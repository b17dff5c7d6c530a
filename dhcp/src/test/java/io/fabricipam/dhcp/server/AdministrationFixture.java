package io.fabricipam.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.testing.GatedLeaseStore;
import io.fabricipam.dhcp.testing.GatedScopeStore;
import io.fabricipam.dhcp.testing.ClientPacket;
import io.fabricipam.dhcp.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** The live core with stores that hang or fail on demand, for the administration tests. */
abstract class AdministrationFixture {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final RequestContext LINK = RequestContext.onLink(List.of(Ipv4Address.parse("10.20.0.1")), "test:eth0");

    GatedScopeStore scopes = new GatedScopeStore();
    GatedLeaseStore leases = new GatedLeaseStore();
    MutableClock clock = new MutableClock(T0);
    LeaseJournal journal;
    ScopeDirectory directory;
    ScopeAdministration administration;
    LeaseAdministration leaseAdministration;
    DhcpServer server;

    void open(LeaseJournal journal) {
        this.journal = journal;
        directory = new ScopeDirectory();
        administration = new ScopeAdministration(directory, scopes, leases, journal, clock, BOUND);
        leaseAdministration = new LeaseAdministration(directory, journal, clock, COMMIT_WAIT);
        server = new DhcpServer(directory, journal, new DhcpResponder(ResponderSettings.DEFAULTS), clock,
                DhcpListener.NONE);
        journal.start();
    }

    @AfterEach
    void close() {
        scopes.gate.open();
        leases.gate.open();
        if (journal != null) {
            journal.close();
        }
    }

    static Scope lab() {
        return new Scope(UUID.randomUUID(), "lab", Ipv4Network.parse("10.20.0.0/24"), Ipv4Address.parse("10.20.0.1"), 0,
                List.of(AddressRange.of("10.20.0.100", "10.20.0.199")), List.of(), 3600, null, null, null, null, null, 0);
    }

    Ipv4Address bind(String mac) throws Exception {
        return bind(mac, null);
    }

    /** DISCOVER (asking for {@code wanted} when given) and REQUEST; returns the address ACKed. */
    Ipv4Address bind(String mac, Ipv4Address wanted) throws Exception {
        ClientPacket discover = ClientPacket.discover().mac(mac);
        if (wanted != null) {
            discover.requested(wanted.toString());
        }
        var offer = server.handle(discover.decoded(), LINK).get(5, TimeUnit.SECONDS);
        var ack = server.handle(ClientPacket.request().mac(mac).serverId("10.20.0.1")
                .requested(offer.reply().yiaddr().toString()).decoded(), LINK).get(5, TimeUnit.SECONDS);
        assertThat(ack.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
        return ack.reply().yiaddr();
    }

    Lease stored(Scope scope, Ipv4Address address) {
        return leases.leases(scope.id()).stream().filter(l -> l.address().equals(address)).findFirst().orElse(null);
    }


    static final RequestContext LINK_B = RequestContext.onLink(List.of(Ipv4Address.parse("10.30.0.1")), "test:eth1");
    /** How long clients may take while a store write hangs: generous, far below the hang. */
    static final Duration BOUND = Duration.ofSeconds(10);
    /** How long a force-release waits for its commit here (30 s in the service). */
    static final Duration COMMIT_WAIT = Duration.ofMillis(300);

    static Scope other() {
        return new Scope(UUID.randomUUID(), "other", Ipv4Network.parse("10.30.0.0/24"), Ipv4Address.parse("10.30.0.1"), 0,
                List.of(AddressRange.of("10.30.0.100", "10.30.0.199")), List.of(), 3600, null, null, null, null, null, 0);
    }

    Future<Object> inBackground(Callable<Object> action) {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            return one.submit(action);
        } finally {
            one.shutdown();
        }
    }

    static void allAcked(List<String> results, String prefix) {
        assertThat(results).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith("ACK " + prefix));
    }

    /** The scope as memory has it equals the scope as the store has it, reservations and leases included. */
    void memoryAgreesWithStore(UUID id) {
        ScopeState state = directory.state(id).orElseThrow();
        assertThat(scopes.scope(id)).contains(state.scope());
        assertThat(scopes.reservations(id)).containsExactlyInAnyOrderElementsOf(state.reservations());
        List<Lease> inMemory = new java.util.ArrayList<>();
        state.lock().lock();
        try {
            state.forEachLease(l -> {
                if (l.state() != LeaseState.OFFERED) {
                    inMemory.add(l);
                }
            });
        } finally {
            state.lock().unlock();
        }
        assertThat(leases.leases(id)).containsExactlyInAnyOrderElementsOf(inMemory);
    }

}
