package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.testing.ClientPacket;
import io.fabricipam.testing.PostgresServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, "the store goes away": with the database journal on PostgreSQL (a cluster's configuration), a lease
 * change is committed before its ACK leaves, so while PostgreSQL is stopped nobody is acknowledged (not a new
 * client, not a renewal: the requests are dropped and counted as {@code store-failure}, never answered from
 * memory), and once it is back service resumes by itself, with the leases from before the outage intact.
 */
@Tag("slow")
class StoreOutageIT {

    static final String TOKEN = "fip_so-" + UUID.randomUUID();
    static final String SERVER = "10.71.0.2";
    static final String RELAY = "10.71.0.200";
    /** How long a reply may take; a request that got none in this time counts as unanswered. */
    static final Duration REPLY_WAIT = Duration.ofSeconds(3);
    /** How long service may take to come back after PostgreSQL does (pool reconnect, queued requests). */
    static final Duration RESUME_LIMIT = Duration.ofSeconds(60);

    NetworkLab lab = new NetworkLab("rso");
    PostgresServer postgres;
    FabricProcess fabric;
    int xid = 0x71000000;

    @AfterEach
    void tearDown() {
        if (fabric != null) {
            fabric.close();
        }
        lab.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void withoutTheDatabaseNobodyIsAcknowledgedAndServiceResumesByItself() throws Exception {
        postgres = PostgresServer.start("so", PostgresServer.Durability.FSYNC);
        String srv = lab.namespace("srv");
        lab.bridge(srv, "br0", SERVER + "/20");
        String relayIf = lab.client("rly", srv, "br0", "02:71:00:00:ff:fe");
        lab.exec("rso-rly", "ip", "addr", "add", RELAY + "/20", "dev", relayIf);
        fabric = new FabricProcess(lab.dir().resolve("data"), lab.dir().resolve("fabric.log"), List.of(
                "--fabric.dhcp.journal=database",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.user(),
                "--spring.datasource.password=",
                "--fabric.api.admin-token=" + TOKEN,
                "--fabric.dhcp.udp.interfaces=br0",
                "--fabric.dhcp.udp.network-namespace=" + srv,
                "--fabric.scopes[0].name=outage",
                "--fabric.scopes[0].network=10.71.0.0/20",
                "--fabric.scopes[0].pools[0].start=10.71.1.0",
                "--fabric.scopes[0].pools[0].end=10.71.1.250",
                "--fabric.scopes[0].lease-time=600")).start();
        FabricApi api = new FabricApi(fabric.httpPort(), TOKEN);

        String before;
        try (RelayAgent relay = new RelayAgent("rso-rly", RELAY, SERVER)) {
            before = bind(relay, "02:71:00:00:00:01");
            assertThat(before).as("bound before the outage").isNotNull();
            double failuresBefore = api.metric("fabric_dhcp_drops_total", "reason=\"store-failure\"");

            postgres.stop();
            long outageStart = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertThat(bind(relay, "02:71:00:00:01:0" + i)).as("a new client during the outage").isNull();
            }
            assertThat(initReboot(relay, "02:71:00:00:00:01", before)).as("a renewal during the outage").isNull();
            double failuresDuring = awaitMetricAbove(api, failuresBefore);
            assertThat(failuresDuring).as("requests dropped and counted as store-failure").isGreaterThan(failuresBefore);
            System.out.printf("store outage: %.0f request(s) dropped as store-failure in %d ms%n",
                    failuresDuring - failuresBefore, (System.nanoTime() - outageStart) / 1_000_000);

            postgres.restart();
            long back = System.nanoTime();
            String after = null;
            while (after == null && System.nanoTime() - back < RESUME_LIMIT.toNanos()) {
                after = bind(relay, "02:71:00:00:02:01");
            }
            assertThat(after).as("a new client once PostgreSQL is back").isNotNull().isNotEqualTo(before);
            System.out.printf("store outage: service back %d ms after PostgreSQL%n", (System.nanoTime() - back) / 1_000_000);
            assertThat(initReboot(relay, "02:71:00:00:00:01", before)).as("the lease from before the outage")
                    .isEqualTo(before);
        }
        assertThat(api.onlyLease("02:71:00:00:00:01").get("ip").asText()).isEqualTo(before);
        // A request whose commit was still waiting for a connection when PostgreSQL came back is committed then and
        // answered late, when its client had stopped listening: a binding the client gets again when it asks, as
        // after any lost ACK. Nothing else is bound, and no address twice.
        Map<String, String> bound = new HashMap<>();
        for (JsonNode lease : api.get("/api/v1/leases?state=BOUND&size=100").get("items")) {
            assertThat(bound.put(lease.get("ip").asText(), lease.get("mac").asText())).as("bound twice").isNull();
        }
        assertThat(bound).containsEntry(before, "02:71:00:00:00:01").containsValue("02:71:00:00:02:01");
        assertThat(bound.values()).allMatch(mac -> mac.startsWith("02:71:00:00:0"));
    }

    /** DISCOVER and REQUEST; the address ACKed, or null when no ACK came. */
    String bind(RelayAgent relay, String mac) {
        DHCPPacket offer = relay.exchange(ClientPacket.discover().mac(mac), xid++, REPLY_WAIT);
        if (offer == null || offer.getDHCPMessageType() != DhcpMessageType.OFFER.code()) {
            return null;
        }
        DHCPPacket ack = relay.exchange(ClientPacket.request().mac(mac).serverId(SERVER)
                .requested(offer.getYiaddr().getHostAddress()), xid++, REPLY_WAIT);
        return ack != null && ack.getDHCPMessageType() == DhcpMessageType.ACK.code() ? ack.getYiaddr().getHostAddress() : null;
    }

    /** REQUEST in INIT-REBOOT (option 50, no server identifier); the address ACKed, or null. */
    String initReboot(RelayAgent relay, String mac, String address) {
        DHCPPacket ack = relay.exchange(ClientPacket.request().mac(mac).requested(address), xid++, REPLY_WAIT);
        return ack != null && ack.getDHCPMessageType() == DhcpMessageType.ACK.code() ? ack.getYiaddr().getHostAddress() : null;
    }

    /** The store-failure count, once it has grown past {@code floor} (bounded: the pool's connection timeout). */
    static double awaitMetricAbove(FabricApi api, double floor) throws InterruptedException {
        double now = floor;
        for (int i = 0; i < 120 && now <= floor; i++) {
            Thread.sleep(500);
            now = api.metric("fabric_dhcp_drops_total", "reason=\"store-failure\"");
        }
        return now;
    }
}
