package io.fabricipam.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.store.InMemoryLeaseStore;
import io.fabricipam.dhcp.store.InMemoryScopeStore;
import io.fabricipam.dhcp.testing.ClientPacket;
import io.fabricipam.dhcp.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The hot-path look-up: which scopes serve a request's link, in which order, and our server identifier there. */
class ScopeDirectoryTest {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    InMemoryScopeStore scopes = new InMemoryScopeStore();
    InMemoryLeaseStore leases = new InMemoryLeaseStore();
    LeaseJournal journal = new StoreLeaseJournal(leases, 64);
    MutableClock clock = new MutableClock(T0);
    ScopeDirectory directory = new ScopeDirectory();
    ScopeAdministration administration = new ScopeAdministration(directory, scopes, leases, journal, clock);

    static Scope scope(String name, String network, String gateway, int vlan, String poolStart, String poolEnd) {
        return new Scope(UUID.randomUUID(), name, Ipv4Network.parse(network), gateway == null ? null : ip(gateway), vlan,
                List.of(AddressRange.of(poolStart, poolEnd)), List.of(), 3600, null, null, null, null, null, 0);
    }

    static Ipv4Address ip(String s) {
        return Ipv4Address.parse(s);
    }

    static List<String> names(List<ScopeState> states) {
        return states.stream().map(s -> s.scope().name()).toList();
    }

    @BeforeEach
    void start() {
        journal.start();
    }

    @AfterEach
    void close() {
        journal.close();
    }

    @Nested
    class Candidates {

        @BeforeEach
        void scopes() {
            // VLAN 10 is a shared network of two subnets; created out of network order on purpose
            administration.create(scope("c-vlan10", "10.3.0.0/24", "10.3.0.1", 10, "10.3.0.10", "10.3.0.20"));
            administration.create(scope("a-vlan10", "10.1.0.0/24", "10.1.0.1", 10, "10.1.0.10", "10.1.0.20"));
            administration.create(scope("b-vlan20", "10.2.0.0/24", "10.2.0.1", 20, "10.2.0.10", "10.2.0.20"));
            administration.create(scope("d-untagged", "192.168.0.0/24", "192.168.0.1", 0, "192.168.0.10", "192.168.0.20"));
        }

        @Test
        void aRelayedRequestIsServedByTheScopeContainingGiaddrWhateverTheLink() {
            var request = ClientPacket.discover().giaddr("10.2.0.1").decoded();
            assertThat(names(directory.candidates(request, RequestContext.onVlan(10, "of:1/1")))).containsExactly("b-vlan20");
            assertThat(names(directory.candidates(request, RequestContext.onLink(List.of(ip("192.168.0.1")), "udp:eth0"))))
                    .containsExactly("b-vlan20");
        }

        @Test
        void aRelayFromANetworkWithoutScopeFindsNone() {
            var request = ClientPacket.discover().giaddr("172.16.0.1").decoded();
            assertThat(directory.candidates(request, RequestContext.onVlan(10, "of:1/1"))).isEmpty();
        }

        @Test
        void onOpenFlowTheVlanSelectsEveryScopeOfThatNetworkInNetworkOrder() {
            var request = ClientPacket.discover().decoded();
            assertThat(names(directory.candidates(request, RequestContext.onVlan(10, "of:1/1"))))
                    .containsExactly("a-vlan10", "c-vlan10");
            assertThat(names(directory.candidates(request, RequestContext.onVlan(20, "of:1/2")))).containsExactly("b-vlan20");
            assertThat(names(directory.candidates(request, RequestContext.onVlan(0, "of:1/3")))).containsExactly("d-untagged");
            assertThat(directory.candidates(request, RequestContext.onVlan(30, "of:1/4"))).isEmpty();
        }

        @Test
        void overUdpOurAddressesOnTheLinkSelectTheScopes() {
            var request = ClientPacket.discover().decoded();
            assertThat(names(directory.candidates(request, RequestContext.onLink(List.of(ip("192.168.0.2")), "udp:eth0"))))
                    .containsExactly("d-untagged");
            assertThat(names(directory.candidates(request,
                    RequestContext.onLink(List.of(ip("172.16.9.9"), ip("10.2.0.5")), "udp:eth1")))).containsExactly("b-vlan20");
            assertThat(names(directory.candidates(request,
                    RequestContext.onLink(List.of(ip("10.3.0.1"), ip("10.1.0.1")), "udp:eth2"))))
                    .containsExactly("a-vlan10", "c-vlan10");
            assertThat(directory.candidates(request, RequestContext.onLink(List.of(), "udp:eth3"))).isEmpty();
        }

        @Test
        void theScopeHoldingTheClientsAddressComesFirst() {
            RequestContext vlan10 = RequestContext.onVlan(10, "of:1/1");
            assertThat(names(directory.candidates(ClientPacket.request().ciaddr("10.3.0.15").decoded(), vlan10)))
                    .containsExactly("c-vlan10", "a-vlan10");
            assertThat(names(directory.candidates(ClientPacket.request().requested("10.3.0.15").decoded(), vlan10)))
                    .containsExactly("c-vlan10", "a-vlan10");
            assertThat(names(directory.candidates(ClientPacket.request().requested("10.1.0.15").decoded(), vlan10)))
                    .containsExactly("a-vlan10", "c-vlan10");
            // ciaddr is what the client holds; it outranks the address it asks for
            assertThat(names(directory.candidates(ClientPacket.request().ciaddr("10.1.0.15").requested("10.3.0.15")
                    .decoded(), vlan10))).containsExactly("a-vlan10", "c-vlan10");
            // a hint in neither network keeps network order
            assertThat(names(directory.candidates(ClientPacket.request().requested("172.16.0.5").decoded(), vlan10)))
                    .containsExactly("a-vlan10", "c-vlan10");
        }

        @Test
        void aSharedNetworkServesFromItsNextScopeOnlyWhenTheFirstIsFull() throws Exception {
            DhcpServer server = new DhcpServer(directory, journal, new DhcpResponder(ResponderSettings.DEFAULTS), clock,
                    DhcpListener.NONE);
            RequestContext vlan10 = RequestContext.onVlan(10, "of:1/1");
            List<String> offered = new ArrayList<>();
            for (int i = 0; i < 11 + 11 + 1; i++) {
                MacAddress mac = MacAddress.parse(String.format("02:00:00:00:01:%02x", i));
                DhcpServer.Outcome o = server.handle(ClientPacket.discover().mac(mac).decoded(), vlan10).get(5, TimeUnit.SECONDS);
                offered.add(o.reply() == null ? o.dropped().name() : o.reply().yiaddr().toString());
            }
            // 10.1.0.10-20 first (network order), then 10.3.0.10-20, then nothing is left
            assertThat(offered.subList(0, 11)).allMatch(a -> a.startsWith("10.1.0."));
            assertThat(offered.subList(11, 22)).allMatch(a -> a.startsWith("10.3.0."));
            assertThat(offered.get(22)).isEqualTo(DropReason.POOL_EXHAUSTED.name());
            var ack = server.handle(ClientPacket.request().mac("02:00:00:00:01:0c").serverId("10.3.0.1")
                    .requested(offered.get(12)).decoded(), vlan10).get(5, TimeUnit.SECONDS);
            assertThat(ack.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
            assertThat(ack.scope().name()).isEqualTo("c-vlan10");
        }
    }

    @Nested
    class ServerIdentifier {

        Scope plain = scope("p", "10.5.0.0/24", "10.5.0.1", 0, "10.5.0.10", "10.5.0.20");

        @Test
        void theScopesOwnComesFirst() {
            Scope own = new Scope(plain.id(), "own", plain.network(), plain.gateway(), 0, plain.pools(), List.of(), 3600,
                    null, null, null, ip("10.5.0.2"), null, 0);
            assertThat(ScopeDirectory.serverIdentifier(own, RequestContext.onLink(List.of(ip("10.5.0.3")), "udp:eth0")))
                    .isEqualTo(ip("10.5.0.2"));
            assertThat(ScopeDirectory.serverIdentifier(own, RequestContext.onVlan(0, "of:1/1"))).isEqualTo(ip("10.5.0.2"));
        }

        @Test
        void elseOurAddressOnTheScopesNetwork() {
            RequestContext link = RequestContext.onLink(List.of(ip("192.168.9.1"), ip("10.5.0.3")), "udp:eth0");
            assertThat(ScopeDirectory.serverIdentifier(plain, link)).isEqualTo(ip("10.5.0.3"));
        }

        @Test
        void elseOurFirstAddressOnTheLinkForARelayedNetwork() {
            RequestContext link = RequestContext.onLink(List.of(ip("192.168.9.1"), ip("192.168.10.1")), "udp:eth0");
            assertThat(ScopeDirectory.serverIdentifier(plain, link)).isEqualTo(ip("192.168.9.1"));
        }

        @Test
        void elseTheGateway() {
            assertThat(ScopeDirectory.serverIdentifier(plain, RequestContext.onVlan(0, "of:1/1"))).isEqualTo(ip("10.5.0.1"));
        }

        @Test
        void elseTheLastHostAddressOfTheNetwork() {
            Scope noGateway = scope("n", "10.6.0.0/24", null, 0, "10.6.0.10", "10.6.0.20");
            assertThat(ScopeDirectory.serverIdentifier(noGateway, RequestContext.onVlan(0, "of:1/1")))
                    .isEqualTo(ip("10.6.0.254"));
        }
    }

    @Nested
    class Lookups {

        @Test
        void statesByIdAndNameInNetworkOrderAndListenersHearEveryChange() {
            List<Integer> heard = new ArrayList<>();
            directory.addChangeListener(() -> heard.add(directory.states().size()));
            Scope b = administration.create(scope("b", "10.9.0.0/24", "10.9.0.1", 0, "10.9.0.10", "10.9.0.20"));
            Scope a = administration.create(scope("a", "10.8.0.0/24", "10.8.0.1", 0, "10.8.0.10", "10.8.0.20"));
            assertThat(names(directory.states())).containsExactly("a", "b");
            assertThat(directory.state(b.id())).get().extracting(ScopeState::scope).isEqualTo(b);
            assertThat(directory.stateByName("a")).get().extracting(s -> s.scope().id()).isEqualTo(a.id());
            assertThat(directory.state(UUID.randomUUID())).isEmpty();
            assertThat(directory.stateByName("c")).isEmpty();
            administration.delete(b.id(), false);
            assertThat(names(directory.states())).containsExactly("a");
            assertThat(heard).containsExactly(1, 2, 1);
        }
    }
}
