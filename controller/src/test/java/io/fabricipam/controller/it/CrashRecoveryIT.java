package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a stream of new clients loses no acknowledged lease: after a restart on the same
 * H2 file, every client that got a DHCPACK (and a real udhcpc) is still known: its address's history ends
 * with its own binding from before the kill, it is ACKed its address in INIT-REBOOT (a server that lost the
 * lease would stay silent), the lease table binds it there; no newcomer is given an address someone holds,
 * and udhcpc renews to the same address. {@link JournalCrashSuite} does the same under heavy concurrent load.
 */
@Tag("slow")
class CrashRecoveryIT {

    static final int MAX_CLIENTS = 4000;
    static final int KILL_AFTER_ACKS = 600;
    static final String TOKEN = "fip_crash-recovery-" + UUID.randomUUID();
    static final String UDHCPC_MAC = "02:66:00:00:ff:01";

    NetworkLab lab = new NetworkLab("fk2");
    FabricProcess fabric;

    @AfterEach
    void tearDown() {
        NetworkLab.closeAll(fabric, lab);
    }

    FabricProcess service() {
        return new FabricProcess(lab.dir().resolve("data"), lab.dir().resolve("fabric.log"), List.of(
                "--fabric.dhcp.udp.interfaces=br0",
                "--fabric.dhcp.udp.network-namespace=fk2-srv",
                "--fabric.api.admin-token=" + TOKEN,
                "--fabric.scopes[0].name=crash",
                "--fabric.scopes[0].network=10.66.0.0/20",
                "--fabric.scopes[0].pools[0].start=10.66.1.0",
                "--fabric.scopes[0].pools[0].end=10.66.15.250",
                "--fabric.scopes[0].lease-time=600"));
    }

    static String mac(int i) {
        return String.format("02:66:00:00:%02x:%02x", i >>> 8, i & 0xff);
    }

    @Test
    void everyAcknowledgedLeaseSurvivesKillNine() throws Exception {
        String srv = lab.namespace("srv");
        lab.bridge(srv, "br0", "10.66.0.2/20");
        String relayIf = lab.client("rly", srv, "br0", "02:66:00:00:ff:fe");
        lab.exec("fk2-rly", "ip", "addr", "add", "10.66.0.250/20", "dev", relayIf);
        String udhcpcIf = lab.client("c1", srv, "br0", UDHCPC_MAC);
        DhcpClients clients = new DhcpClients(lab);

        fabric = service().start();
        Process udhcpc = clients.udhcpcDaemon("fk2-c1", udhcpcIf);
        String udhcpcAddress = awaitAnyAddress("fk2-c1", udhcpcIf);

        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = new Thread(() -> {
            try (RelayAgent relay = new RelayAgent("fk2-rly", "10.66.0.250", "10.66.0.2")) {
                for (int i = 0; i < MAX_CLIENTS && !stop.get(); i++) {
                    DHCPPacket offer = relay.exchange(ClientPacket.discover().mac(mac(i)), 2 * i + 1, Duration.ofMillis(1500));
                    if (offer == null) {
                        return; // the server is gone
                    }
                    String yiaddr = offer.getYiaddr().getHostAddress();
                    DHCPPacket ack = relay.exchange(ClientPacket.request().mac(mac(i)).serverId("10.66.0.2").requested(yiaddr),
                            2 * i + 2, Duration.ofMillis(1500));
                    if (ack == null) {
                        return;
                    }
                    if (ack.getDHCPMessageType() == DhcpMessageType.ACK.code()) {
                        acked.put(mac(i), ack.getYiaddr().getHostAddress());
                    }
                }
            }
        }, "crash-load");
        load.start();
        for (int i = 0; i < 1200 && acked.size() < KILL_AFTER_ACKS && load.isAlive(); i++) {
            Thread.sleep(50);
        }
        fabric.kill9(); // mid-stream: the load thread is between requests or waiting for a reply
        Instant killedAt = Instant.now();
        stop.set(true);
        load.join(10_000);
        assertThat(acked.size()).as("acknowledged before the kill").isGreaterThanOrEqualTo(KILL_AFTER_ACKS);

        fabric = service().start();
        FabricApi api = new FabricApi(fabric.httpPort(), TOKEN);

        PromisedLeases promised = new PromisedLeases();
        promised.addAll(acked);
        promised.add(UDHCPC_MAC, udhcpcAddress, DhcpClients.udhcpcClientId(UDHCPC_MAC));
        try (RelayedClients verifier = new RelayedClients("fk2-rly", "10.66.0.250", "10.66.0.2", Duration.ofSeconds(2), 0x50000000)) {
            assertThat(promised.check(api, verifier, killedAt, List.of(UDHCPC_MAC)))
                    .as("leases acknowledged before kill -9 that the restarted service lost (%d promised); log: %s",
                            promised.size(), fabric.log())
                    .isEmpty();
        }

        try (RelayAgent relay = new RelayAgent("fk2-rly", "10.66.0.250", "10.66.0.2")) {
            int xid = 1_000_000;
            Set<String> held = new HashSet<>(acked.values());
            held.add(udhcpcAddress);
            Set<String> fresh = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                String m = String.format("02:67:00:00:%02x:%02x", i >>> 8, i & 0xff);
                DHCPPacket offer = relay.exchange(ClientPacket.discover().mac(m), xid++, Duration.ofSeconds(3));
                assertThat(offer).as("offer to newcomer %s", m).isNotNull();
                String yiaddr = offer.getYiaddr().getHostAddress();
                DHCPPacket ack = relay.exchange(ClientPacket.request().mac(m).serverId("10.66.0.2").requested(yiaddr),
                        xid++, Duration.ofSeconds(3));
                assertThat(ack).as("answer to newcomer %s", m).isNotNull();
                assertThat(ack.getDHCPMessageType()).isEqualTo((byte) DhcpMessageType.ACK.code());
                assertThat(held).as("newcomer %s got a held address", m).doesNotContain(yiaddr);
                assertThat(fresh.add(yiaddr)).isTrue();
            }
        }

        // the real client renews (RENEWING, unicast) to the same address
        double acks = ackCount();
        NetworkLab.run("kill", "-USR1", Long.toString(udhcpc.pid()));
        for (int i = 0; i < 100 && ackCount() <= acks; i++) {
            Thread.sleep(100);
        }
        assertThat(ackCount()).as("ACKs after udhcpc's renewal").isGreaterThan(acks);
        assertThat(lab.address("fk2-c1", udhcpcIf)).isEqualTo(udhcpcAddress);
        assertThat(api.metric("fabric_dhcp_drops_total", "reason=\"store-failure\""))
                .as("replies dropped because a lease change could not be stored").isZero();
    }

    double ackCount() {
        return PrometheusText.sum(fabric.get("/actuator/prometheus"), "fabric_dhcp_replies_total", "type=\"ack\"");
    }

    String awaitAnyAddress(String ns, String iface) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String a = lab.address(ns, iface);
            if (a != null) {
                return a;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no address on " + iface);
    }
}
