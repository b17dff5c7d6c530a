package io.fabricipam.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.store.InMemoryLeaseStore;
import io.fabricipam.dhcp.store.InMemoryScopeStore;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many clients at once through the whole core: every acknowledged address is unique and durable. */
class DhcpServerConcurrencyTest {

    InMemoryScopeStore scopes = new InMemoryScopeStore();
    InMemoryLeaseStore leases = new InMemoryLeaseStore();
    LeaseJournal journal = new StoreLeaseJournal(leases, 256);
    ScopeDirectory directory = new ScopeDirectory();
    ScopeAdministration registry = new ScopeAdministration(directory, scopes, leases, journal, Clock.systemUTC());
    DhcpServer server = new DhcpServer(directory, journal, new DhcpResponder(ResponderSettings.DEFAULTS),
            Clock.systemUTC(), DhcpListener.NONE);

    @AfterEach
    void close() {
        journal.close();
    }

    @Test
    void parallelClientsNeverShareAnAddress() throws Exception {
        journal.start();
        Scope scope = registry.create(new Scope(UUID.randomUUID(), "busy", Ipv4Network.parse("10.1.0.0/22"), null, 0,
                List.of(AddressRange.of("10.1.0.10", "10.1.3.200")), List.of(), 3600, null, null, null, null, null, 0));
        RequestContext context = RequestContext.onLink(List.of(Ipv4Address.parse("10.1.0.1")), "test");
        int clients = 800;
        Map<String, Ipv4Address> acked = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String mac = String.format("02:00:00:00:%02x:%02x", i >>> 8, i & 0xff);
                futures.add(pool.submit(() -> {
                    var offer = server.handle(ClientPacket.discover().mac(mac).decoded(), context).get(10, TimeUnit.SECONDS);
                    String yiaddr = offer.reply().yiaddr().toString();
                    var ack = server.handle(ClientPacket.request().mac(mac).serverId("10.1.0.1").requested(yiaddr).decoded(),
                            context).get(10, TimeUnit.SECONDS);
                    assertThat(ack.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
                    acked.put(mac, ack.reply().yiaddr());
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(acked).hasSize(clients);
        Set<Ipv4Address> unique = Set.copyOf(acked.values());
        assertThat(unique).hasSize(clients);
        // every ACK was committed before it was returned
        Map<Ipv4Address, Lease> stored = leases.leases(scope.id()).stream()
                .collect(Collectors.toMap(Lease::address, l -> l));
        acked.forEach((mac, address) -> {
            assertThat(stored.get(address)).as(mac).isNotNull();
            assertThat(stored.get(address).state()).isEqualTo(LeaseState.BOUND);
            assertThat(stored.get(address).mac().toString()).isEqualTo(mac);
        });
        // group commit: one durable change per ACK, and concurrent ACKs shared commits
        assertThat(journal.committedChanges()).isEqualTo(clients);
        assertThat(journal.commits()).as("commits for %d concurrent ACKs", clients).isLessThan(clients);
    }
}
