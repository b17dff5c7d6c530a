package io.fabricipam.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.store.InMemoryLeaseStore;
import io.fabricipam.dhcp.store.InMemoryScopeStore;
import io.fabricipam.dhcp.testing.ClientPacket;
import io.fabricipam.dhcp.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Operator actions on live scopes: memory and store agree after every outcome. */
class ScopeAdministrationTest {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final RequestContext LINK = RequestContext.onLink(List.of(Ipv4Address.parse("10.20.0.1")), "test:eth0");

    InMemoryScopeStore scopes = new InMemoryScopeStore();
    InMemoryLeaseStore leases = new InMemoryLeaseStore();
    MutableClock clock = new MutableClock(T0);
    LeaseJournal journal = new StoreLeaseJournal(leases, 64);
    ScopeRegistry directory;
    ScopeRegistry administration;
    DhcpServer server;

    void open(LeaseJournal journal) {
        this.journal = journal;
        directory = new ScopeRegistry(scopes, leases, journal, clock);
        administration = directory;
        server = new DhcpServer(directory, journal, new DhcpResponder(ResponderSettings.DEFAULTS), clock,
                DhcpListener.NONE);
        journal.start();
    }

    @AfterEach
    void close() {
        journal.close();
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

    @Nested
    class ForceRelease {

        @BeforeEach
        void start() {
            open(new StoreLeaseJournal(leases, 64));
        }

        @Test
        void endsTheLeaseInMemoryAndInTheStoreAndTheAddressIsFreeAgain() throws Exception {
            Scope scope = administration.create(lab());
            Ipv4Address a = bind("02:00:00:00:00:01");
            int free = directory.state(scope.id()).orElseThrow().freeCount();

            Lease released = administration.forceRelease(scope.id(), a, "alice");

            assertThat(released.state()).isEqualTo(LeaseState.RELEASED);
            assertThat(directory.state(scope.id()).orElseThrow().leaseAt(a).state()).isEqualTo(LeaseState.RELEASED);
            assertThat(directory.state(scope.id()).orElseThrow().freeCount()).isEqualTo(free + 1);
            assertThat(stored(scope, a).state()).isEqualTo(LeaseState.RELEASED);
            assertThat(leases.history(scope.id(), a, 1).get(0).type()).isEqualTo(LeaseEventType.FORCE_RELEASED);
            assertThat(leases.history(scope.id(), a, 1).get(0).detail()).isEqualTo("by alice");
        }

        @Test
        void anAddressWithoutAnActiveLeaseOrAnUnknownScopeIsNotFound() throws Exception {
            Scope scope = administration.create(lab());
            Ipv4Address a = bind("02:00:00:00:00:01");
            administration.forceRelease(scope.id(), a, "alice");
            assertThatThrownBy(() -> administration.forceRelease(scope.id(), a, "alice"))
                    .isInstanceOfSatisfying(ScopeException.class, e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.NOT_FOUND));
            assertThatThrownBy(() -> administration.forceRelease(scope.id(), Ipv4Address.parse("10.20.0.150"), "alice"))
                    .isInstanceOfSatisfying(ScopeException.class, e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.NOT_FOUND));
            assertThatThrownBy(() -> administration.forceRelease(UUID.randomUUID(), a, "alice"))
                    .isInstanceOfSatisfying(ScopeException.class, e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.NOT_FOUND));
        }

        @Test
        void theClientsNextRenewalIsRefused() throws Exception {
            Scope scope = administration.create(lab());
            Ipv4Address a = bind("02:00:00:00:00:01");
            administration.forceRelease(scope.id(), a, "alice");
            assertThat(bind("02:00:00:00:00:02", a)).isEqualTo(a); // someone else takes the address
            var renewal = server.handle(ClientPacket.request().mac("02:00:00:00:00:01").ciaddr(a.toString()).decoded(), LINK)
                    .get(5, TimeUnit.SECONDS);
            assertThat(renewal.reply().messageType()).isEqualTo(DhcpMessageType.NAK);
        }
    }
}
