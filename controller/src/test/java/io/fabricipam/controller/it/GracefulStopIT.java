package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM in the middle of a stream of new clients (the packaged jar, as operators stop it): the service exits
 * within 5 s, having stopped its front ends, answered what was in flight and flushed the lease journal into the
 * database; after a restart on the same data every client that got a DHCPACK is answered in INIT-REBOOT (REQUEST
 * with its address in option 50, no server identifier, ciaddr 0), where RFC 2131 §4.3.2 has an unknown client
 * get silence: a lost lease would show as a missing ACK.
 */
@Tag("slow")
class GracefulStopIT {

    static final int AGENTS = 8;
    static final int STOP_AFTER_ACKS = 400;
    static final long MAX_STOP_MILLIS = 5_000;

    NetworkLab lab = new NetworkLab("rsg");
    FabricProcess fabric;

    @AfterEach
    void tearDown() {
        if (fabric != null) {
            fabric.close();
        }
        lab.close();
    }

    FabricProcess service() {
        return new FabricProcess(lab.dir().resolve("data"), lab.dir().resolve("fabric.log"), List.of(
                "--fabric.dhcp.udp.interfaces=br0",
                "--fabric.dhcp.udp.network-namespace=rsg-srv",
                "--fabric.scopes[0].name=stop",
                "--fabric.scopes[0].network=10.69.0.0/20",
                "--fabric.scopes[0].pools[0].start=10.69.1.0",
                "--fabric.scopes[0].pools[0].end=10.69.15.250",
                "--fabric.scopes[0].lease-time=600"));
    }

    static String mac(int agent, int i) {
        return String.format("02:69:%02x:00:%02x:%02x", agent, i >>> 8, i & 0xff);
    }

    static String relayAddress(int agent) {
        return "10.69.0." + (200 + agent);
    }

    @Test
    void aStopMidStreamLosesNoAcknowledgedLeaseAndTakesUnderFiveSeconds() throws Exception {
        String srv = lab.namespace("srv");
        lab.bridge(srv, "br0", "10.69.0.2/20");
        String relayIf = lab.client("rly", srv, "br0", "02:69:00:00:ff:fe");
        for (int a = 0; a < AGENTS; a++) {
            lab.exec("rsg-rly", "ip", "addr", "add", relayAddress(a) + "/20", "dev", relayIf);
        }
        fabric = service().start();

        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicBoolean stopSent = new AtomicBoolean();
        AtomicInteger ackedAfterStop = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        for (int a = 0; a < AGENTS; a++) {
            int agent = a;
            Thread t = new Thread(() -> {
                try (RelayAgent relay = new RelayAgent("rsg-rly", relayAddress(agent), "10.69.0.2")) {
                    for (int i = 0; i < 2_000; i++) {
                        boolean before = !stopSent.get();
                        int xid = agent << 24 | i << 1;
                        DHCPPacket offer = relay.exchange(ClientPacket.discover().mac(mac(agent, i)), xid, Duration.ofMillis(1500));
                        if (offer == null) {
                            return; // the server is gone
                        }
                        DHCPPacket ack = relay.exchange(ClientPacket.request().mac(mac(agent, i)).serverId("10.69.0.2")
                                .requested(offer.getYiaddr().getHostAddress()), xid | 1, Duration.ofMillis(1500));
                        if (ack == null) {
                            return;
                        }
                        if (ack.getDHCPMessageType() == DhcpMessageType.ACK.code()) {
                            acked.put(mac(agent, i), ack.getYiaddr().getHostAddress());
                            if (before && stopSent.get()) {
                                ackedAfterStop.incrementAndGet(); // asked before SIGTERM, answered during the stop
                            }
                        }
                    }
                }
            }, "stop-load-" + a);
            t.start();
            load.add(t);
        }
        for (int i = 0; i < 1200 && acked.size() < STOP_AFTER_ACKS; i++) {
            Thread.sleep(50);
        }
        assertThat(acked.size()).as("acknowledged before the stop").isGreaterThanOrEqualTo(STOP_AFTER_ACKS);

        long t0 = System.nanoTime();
        stopSent.set(true);
        fabric.stop(); // SIGTERM, mid-stream: every agent is between requests or waiting for a reply
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        for (Thread t : load) {
            t.join(10_000);
        }
        String stopLog = fabric.output();
        assertThat(stopMillis).as("SIGTERM to exit, ms").isLessThan(MAX_STOP_MILLIS);
        assertThat(stopLog).as("the core stopped in order (journal closed)").contains("DHCP core stopped");
        assertThat(stopLog).doesNotContain("request(s) unanswered");
        int ackedCount = acked.size();

        fabric = service().start();
        String restartLog = fabric.output().substring(stopLog.length());
        assertThat(restartLog).as("the stop flushed the journal into the database: nothing to replay")
                .doesNotContain("were replayed");

        int answered = 0;
        List<String> lost = new ArrayList<>();
        try (RelayAgent relay = new RelayAgent("rsg-rly", relayAddress(0), "10.69.0.2")) {
            int xid = 0x7f000000;
            for (Map.Entry<String, String> e : acked.entrySet()) {
                // INIT-REBOOT: its address in option 50, no server identifier, ciaddr 0
                DHCPPacket reply = relay.exchange(ClientPacket.request().mac(e.getKey()).requested(e.getValue()), xid++,
                        Duration.ofSeconds(3));
                if (reply != null && reply.getDHCPMessageType() == DhcpMessageType.ACK.code()
                        && reply.getYiaddr().getHostAddress().equals(e.getValue())) {
                    answered++;
                } else {
                    lost.add(e.getKey() + "=" + e.getValue());
                }
            }
        }
        assertThat(lost).as("acknowledged leases not answered after the restart (of %d)", ackedCount).isEmpty();
        assertThat(answered).isEqualTo(ackedCount);
        System.out.printf("GracefulStopIT: %d leases acknowledged (%d of them answered during the stop), SIGTERM -> exit"
                + " %d ms, all answered in INIT-REBOOT after the restart%n", ackedCount, ackedAfterStop.get(), stopMillis);
    }
}
