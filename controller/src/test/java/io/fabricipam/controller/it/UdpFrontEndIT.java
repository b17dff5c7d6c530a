package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.testing.ClientPacket;
import io.fabricipam.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service serving real clients through its UDP front end: udhcpc, dhclient and dhcpcd on a
 * bridge inside a namespace, and a relay agent on another subnet (a real socket, and perfdhcp posing as one).
 */
class UdpFrontEndIT {

    static NetworkLab lab;
    static DhcpClients clients;
    static FabricProcess fabric;
    static String srv;
    static String relayNs;

    @BeforeAll
    static void startServer() {
        lab = new NetworkLab("fu2");
        clients = new DhcpClients(lab);
        srv = lab.namespace("srv");
        lab.bridge(srv, "br0", "10.77.0.2/24");
        // a relay agent on the bridge that also owns 10.88.0.1, the gateway of a subnet only it can reach
        String relayIf = lab.client("rly", srv, "br0", "02:77:00:00:00:fe");
        relayNs = "fu2-rly";
        lab.exec(relayNs, "ip", "addr", "add", "10.77.0.250/24", "dev", relayIf);
        lab.exec(relayNs, "ip", "addr", "add", "10.88.0.1/24", "dev", relayIf);
        lab.exec(srv, "ip", "route", "add", "10.88.0.0/24", "via", "10.77.0.250");
        fabric = new FabricProcess(lab.dir().resolve("data"), lab.dir().resolve("fabric.log"), List.of(
                "--fabric.dhcp.udp.interfaces=br0",
                "--logging.level.io.fabricipam.leases=DEBUG",
                "--fabric.dhcp.udp.network-namespace=" + srv,
                "--fabric.scopes[0].name=lan",
                "--fabric.scopes[0].network=10.77.0.0/24",
                "--fabric.scopes[0].gateway=10.77.0.1",
                "--fabric.scopes[0].pools[0].start=10.77.0.100",
                "--fabric.scopes[0].pools[0].end=10.77.0.150",
                "--fabric.scopes[0].lease-time=16", // T1 = 8 s: clients renew during the test
                "--fabric.scopes[0].options.dns-servers[0]=10.77.0.53",
                "--fabric.scopes[0].options.domain-name=lab.example",
                "--fabric.scopes[0].reservations[0].mac=02:77:00:00:00:03",
                "--fabric.scopes[0].reservations[0].ip=10.77.0.30",
                "--fabric.scopes[1].name=remote",
                "--fabric.scopes[1].network=10.88.0.0/24",
                "--fabric.scopes[1].gateway=10.88.0.1",
                "--fabric.scopes[1].pools[0].start=10.88.0.10",
                "--fabric.scopes[1].pools[0].end=10.88.0.250",
                "--fabric.scopes[1].lease-time=120")).start();
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    static boolean inLanPool(String address) {
        long a = Ipv4Address.parse(address).unsigned();
        return a >= Ipv4Address.parse("10.77.0.100").unsigned() && a <= Ipv4Address.parse("10.77.0.150").unsigned();
    }

    @Test
    void udhcpcDhclientAndDhcpcdObtainRenewAndRelease() throws Exception {
        String udhcpcIf = lab.client("c1", srv, "br0", "02:77:00:00:00:01");
        String dhclientIf = lab.client("c2", srv, "br0", "02:77:00:00:00:02");
        String dhcpcdIf = lab.client("c3", srv, "br0", "02:77:00:00:00:03");

        // one-shot clients first: udhcpc -q, dhclient -1
        assertThat(clients.udhcpc("fu2-c1", udhcpcIf, false)).isZero();
        assertThat(clients.dhclient("fu2-c2", dhclientIf)).isZero();
        String a1 = lab.address("fu2-c1", udhcpcIf);
        String a2 = lab.address("fu2-c2", dhclientIf);
        assertThat(inLanPool(a1)).as("udhcpc got %s", a1).isTrue();
        assertThat(inLanPool(a2)).as("dhclient got %s", a2).isTrue();
        assertThat(a1).isNotEqualTo(a2);

        // run again: udhcpc asks afresh (DISCOVER) and dhclient reboots from its lease file (INIT-REBOOT);
        // both get their address back
        assertThat(clients.udhcpc("fu2-c1", udhcpcIf, false)).isZero();
        assertThat(clients.dhclient("fu2-c2", dhclientIf)).isZero();
        assertThat(lab.address("fu2-c1", udhcpcIf)).isEqualTo(a1);
        assertThat(lab.address("fu2-c2", dhclientIf)).isEqualTo(a2);

        // now as daemons, which renew by themselves at T1 (8 s): the addresses stay
        lab.exec("fu2-c1", "ip", "-4", "addr", "flush", "dev", udhcpcIf);
        lab.exec("fu2-c2", "ip", "-4", "addr", "flush", "dev", dhclientIf);
        Process udhcpc = clients.udhcpcDaemon("fu2-c1", udhcpcIf);
        clients.dhclientDaemon("fu2-c2", dhclientIf);
        DhcpClients.DhcpcdSession dhcpcd = clients.dhcpcd("fu2-c3", dhcpcdIf);
        awaitAddress("fu2-c1", udhcpcIf, a1);
        awaitAddress("fu2-c2", dhclientIf, a2);
        awaitAddress("fu2-c3", dhcpcdIf, "10.77.0.30"); // dhcpcd's MAC has a reservation outside the pool
        double requests = metric("fabric_dhcp_messages_total", "type=\"request\"");
        double acks = metric("fabric_dhcp_replies_total", "type=\"ack\"");
        awaitMetricAtLeast("fabric_dhcp_replies_total", "type=\"ack\"", acks + 3, Duration.ofSeconds(30));
        assertThat(metric("fabric_dhcp_messages_total", "type=\"request\"")).isGreaterThanOrEqualTo(requests + 3);
        assertThat(metric("fabric_dhcp_replies_total", "type=\"nak\"")).isZero();
        for (String[] client : new String[][] {{a1, "02:77:00:00:00:01"}, {a2, "02:77:00:00:00:02"},
                {"10.77.0.30", "02:77:00:00:00:03"}}) {
            awaitLogCount("ACK " + client[0] + " to " + client[1], 2, Duration.ofSeconds(20)); // bind, then renew
        }
        assertThat(lab.address("fu2-c1", udhcpcIf)).isEqualTo(a1);
        assertThat(lab.address("fu2-c2", dhclientIf)).isEqualTo(a2);
        assertThat(lab.address("fu2-c3", dhcpcdIf)).isEqualTo("10.77.0.30");

        // releases reach the server, from the holders of the leases
        double releases = metric("fabric_dhcp_messages_total", "type=\"release\"");
        NetworkLab.run("kill", "-USR2", Long.toString(udhcpc.pid()));
        assertThat(clients.dhclientRelease("fu2-c2", dhclientIf)).isZero();
        assertThat(dhcpcd.release()).isZero();
        awaitMetricAtLeast("fabric_dhcp_messages_total", "type=\"release\"", releases + 3, Duration.ofSeconds(10));
        assertThat(metric("fabric_dhcp_drops_total", "reason=\"not-our-lease\"")).isZero();

        // a released address goes back to its client first: udhcpc gets a1 again
        assertThat(clients.udhcpc("fu2-c1", udhcpcIf, false)).isZero();
        assertThat(lab.address("fu2-c1", udhcpcIf)).isEqualTo(a1);
    }

    @Test
    void aRelayedRequestIsAnsweredAtTheRelayFromTheRelaysSubnet() {
        try (RelayAgent relay = new RelayAgent(relayNs, "10.88.0.1", "10.77.0.2")) {
            DHCPPacket offer = relay.exchange(ClientPacket.discover().mac("02:88:00:00:00:01"), 0x5001, Duration.ofSeconds(5));
            assertThat(offer).as("an OFFER arrives at the relay's port 67").isNotNull();
            assertThat(offer.getDHCPMessageType()).isEqualTo((byte) DhcpMessageType.OFFER.code());
            String yiaddr = offer.getYiaddr().getHostAddress();
            assertThat(yiaddr).startsWith("10.88.0.");
            assertThat(offer.getGiaddr().getHostAddress()).isEqualTo("10.88.0.1");
            DHCPPacket ack = relay.exchange(ClientPacket.request().mac("02:88:00:00:00:01").serverId("10.77.0.2")
                    .requested(yiaddr), 0x5002, Duration.ofSeconds(5));
            assertThat(ack.getDHCPMessageType()).isEqualTo((byte) DhcpMessageType.ACK.code());
            assertThat(ack.getYiaddr().getHostAddress()).isEqualTo(yiaddr);
        }
    }

    @Test
    void perfdhcpPosingAsARelayCompletesEveryExchange() {
        Tools.require("perfdhcp");
        Path log = lab.dir().resolve("perfdhcp.log");
        int status = lab.execStatus(relayNs, Duration.ofSeconds(60), log, "perfdhcp", "-4", "-l", "10.88.0.1",
                "-r", "50", "-n", "100", "-R", "100", "-W", "500000", "10.77.0.2");
        assertThat(status).as("perfdhcp exit status; see %s", log).isZero();
    }

    @Test
    void malformedPacketsAreCountedAndDroppedWhileGoodClientsAreServed() {
        List<String> reasons = List.of("truncated", "bad-magic-cookie", "option-overrun");
        Map<String, Double> before = drops(reasons);
        try (RelayAgent relay = new RelayAgent(relayNs, "10.77.0.250", "10.77.0.2")) {
            byte[] good = ClientPacket.discover().mac("02:77:00:00:00:aa").giaddr("10.77.0.250").bytes();
            relay.send(java.util.Arrays.copyOf(good, 100));                  // truncated
            byte[] cookie = good.clone();
            cookie[236] = 0x00;                                                // wrong magic cookie
            relay.send(cookie);
            byte[] overrun = java.util.Arrays.copyOf(good, 244);
            overrun[240] = 12;
            overrun[241] = (byte) 200;                                         // option runs past the end
            relay.send(overrun);
            DHCPPacket offer = relay.exchange(ClientPacket.discover().mac("02:77:00:00:00:ab"), 0x6001, Duration.ofSeconds(5));
            assertThat(offer).isNotNull();
            assertThat(offer.getDHCPMessageType()).isEqualTo((byte) DhcpMessageType.OFFER.code());
        }
        // workers run in parallel: a drop may be counted just after the OFFER left
        Map<String, Double> expected = new TreeMap<>();
        reasons.forEach(r -> expected.put(r, before.get(r) + 1));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !drops(reasons).equals(expected)) {
            FabricProcess.sleep(100);
        }
        assertThat(drops(reasons)).as("one drop per malformed packet, each under its own reason").isEqualTo(expected);
    }

    static Map<String, Double> drops(List<String> reasons) {
        String text = fabric.get("/actuator/prometheus");
        Map<String, Double> counts = new TreeMap<>();
        reasons.forEach(r -> counts.put(r, PrometheusText.sum(text, "fabric_dhcp_drops_total", "reason=\"" + r + "\"")));
        return counts;
    }

    static void awaitAddress(String ns, String iface, String expected) {
        for (int i = 0; i < 100 && !expected.equals(lab.address(ns, iface)); i++) {
            FabricProcess.sleep(100);
        }
        assertThat(lab.address(ns, iface)).isEqualTo(expected);
    }

    /** Waits until the service's log holds {@code text} at least {@code times} times (the lease log). */
    static void awaitLogCount(String text, int times, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && count(fabric.output(), text) < times) {
            FabricProcess.sleep(200);
        }
        assertThat(count(fabric.output(), text)).as("'%s' in the lease log", text).isGreaterThanOrEqualTo(times);
    }

    static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static void awaitMetricAtLeast(String name, String label, double value, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && metric(name, label) < value) {
            FabricProcess.sleep(200);
        }
        assertThat(metric(name, label)).isGreaterThanOrEqualTo(value);
    }

    static double metric(String name, String label) {
        return PrometheusText.sum(fabric.get("/actuator/prometheus"), name, label);
    }
}
