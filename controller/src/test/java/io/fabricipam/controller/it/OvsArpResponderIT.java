package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabricipam.controller.it.OvsBridges.Guest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A scope whose server identifier no host owns, on real Open vSwitch: the guests' unicast messages to the
 * server (udhcpc's RENEWING request, dhcpcd's RELEASE) need an ARP answer for that address before they
 * leave the guest. We give it, from the controller, and never for the scope's gateway.
 *
 * <pre>
 * bridge fo4a-x: 1 c1 udhcpc (daemon, renews on SIGUSR1)   2 c2 dhcpcd (releases)
 * scope "isolated" VLAN 0 10.40.0.0/24, gateway 10.40.0.1 (nobody there), serverIdentifier 10.40.0.2
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OvsArpResponderIT {

    static final int OPENFLOW_PORT = 26655;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String TOKEN = "fip_ovs-arp-" + UUID.randomUUID();
    static final String DPID = "00000000000f04d1";
    static final String SERVER_MAC = "02:fa:b1:dc:00:01";
    static final String ARP_C1 = "cookie=0xfab1dc0000000005, priority=310,arp,in_port=1,vlan_tci=0x0000/0x1fff,arp_tpa=10.40.0.2,arp_op=1 actions=meter:1,CONTROLLER:65535";
    static final String EXPECTED_FLOWS = """
            cookie=0xfab1dc0000000001, priority=0 actions=NORMAL
            cookie=0xfab1dc0000000005, priority=310,arp,in_port=1,vlan_tci=0x0000/0x1fff,arp_tpa=10.40.0.2,arp_op=1 actions=meter:1,CONTROLLER:65535
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:1,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000005, priority=310,arp,in_port=2,vlan_tci=0x0000/0x1fff,arp_tpa=10.40.0.2,arp_op=1 actions=meter:2,CONTROLLER:65535
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:2,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            """;

    NetworkLab lab;
    OvsBridges ovs;
    DhcpClients clients;
    FabricProcess fabric;
    FabricApi api;
    String bridge;
    Guest c1;
    Guest c2;
    String scopeId;

    @BeforeAll
    void setUp() {
        FabricProcess.requireFreePort(OPENFLOW_PORT);
        lab = new NetworkLab("fo4a");
        clients = new DhcpClients(lab);
        ovs = new OvsBridges(lab);
        bridge = ovs.bridge("x", DPID);
        c1 = ovs.guest(bridge, "c1", 1, "02:f4:00:00:0d:01");
        c2 = ovs.guest(bridge, "c2", 2, "02:f4:00:00:0d:02");
        fabric = new FabricProcess(lab.dir().resolve("data"), lab.dir().resolve("fabric.log"), List.of(
                "--fabric.openflow.port=" + OPENFLOW_PORT, "--fabric.openflow.address=127.0.0.1",
                "--fabric.api.admin-token=" + TOKEN)).start();
        api = new FabricApi(fabric.httpPort(), TOKEN);
        scopeId = api.post("/api/v1/scopes", """
                {"name": "isolated", "network": "10.40.0.0/24", "gateway": "10.40.0.1", "vlan": 0,
                 "serverIdentifier": "10.40.0.2",
                 "pools": [{"start": "10.40.0.100", "end": "10.40.0.199"}], "leaseTime": 3600}""").get("id").asText();
        ovs.connect(bridge, OPENFLOW_PORT);
        assertThat(OvsBridges.await(WAIT, () -> ovs.flows(bridge).equals(OvsBridges.sortedLines(EXPECTED_FLOWS))))
                .as("bridge connected and given our flows, ARP for 10.40.0.2 but not the gateway; see %s", fabric.log())
                .isTrue();
    }

    @AfterAll
    void tearDown() {
        NetworkLab.closeAll(fabric, ovs, lab);
    }

    @Test
    @Order(1)
    void aUnicastRenewalToAServerIdentifierNobodyOwnsIsAcked() {
        Process udhcpc = clients.udhcpcDaemon(c1.ns(), c1.iface());
        try {
            assertThat(OvsBridges.await(WAIT, () -> lab.address(c1.ns(), c1.iface()) != null)).isTrue();
            String address = lab.address(c1.ns(), c1.iface());
            assertThat(clients.leaseOf(c1.iface())).containsEntry("serverid", "10.40.0.2").containsEntry("router", "10.40.0.1");
            double arpBefore = api.metric("fabric_openflow_arp_replies_total", null);
            long arpPacketsBefore = ovs.ourFlowPackets(bridge).get(ARP_C1);

            int logFrom = clients.udhcpcLog(c1.iface()).length();
            NetworkLab.run("kill", "-USR1", Long.toString(udhcpc.pid()));
            assertThat(OvsBridges.await(WAIT, () -> clients.udhcpcLog(c1.iface()).substring(logFrom).contains("obtained")))
                    .as(clients.udhcpcLog(c1.iface())).isTrue();
            String log = clients.udhcpcLog(c1.iface()).substring(logFrom);
            assertThat(log).contains("sending renew to server 10.40.0.2").contains("lease of " + address + " obtained")
                    .as("the unicast renewal was answered; no fallback to broadcast").doesNotContain("broadcasting");

            // the renewal could only leave the guest after its kernel learned the server's MAC from us
            // (udhcpc's script then flushes the address, and the neighbour entry with it)
            assertThat(OvsBridges.await(WAIT, () -> ovs.ourFlowPackets(bridge).get(ARP_C1) > arpPacketsBefore))
                    .as("c1's ARP for 10.40.0.2 went through our flow").isTrue();
            assertThat(api.metric("fabric_openflow_arp_replies_total", null)).isGreaterThan(arpBefore);
            assertThat(api.get("/api/v1/leases/" + address + "/history").get(0).get("type").asText()).isEqualTo("renewed");
        } finally {
            udhcpc.destroy();
        }
    }

    /**
     * dhcpcd sends its RELEASE by unicast and deletes the address at once, which also drops a RELEASE still
     * waiting for an ARP answer; once the guest knows the server's MAC (from our answer to its first unicast
     * to the server, e.g. a renewal), the RELEASE goes out at once and frees the lease.
     */
    @Test
    @Order(2)
    void dhcpcdsUnicastReleaseReachesUsAndFreesTheLease() {
        DhcpClients.DhcpcdSession dhcpcd = clients.dhcpcd(c2.ns(), c2.iface());
        assertThat(OvsBridges.await(WAIT, () -> lab.address(c2.ns(), c2.iface()) != null)).as("dhcpcd's lease").isTrue();
        String address = lab.address(c2.ns(), c2.iface());
        assertThat(lease(c2).get("state").asText()).isEqualTo("bound");
        assertThat(learnedMac(c2, "10.40.0.2")).as("c2's neighbour entry for the server").contains("lladdr " + SERVER_MAC);
        double releases = api.metric("fabric_dhcp_messages_total", "type=\"release\"");

        assertThat(dhcpcd.release()).as("dhcpcd -k").isZero();

        assertThat(OvsBridges.await(WAIT, () -> api.metric("fabric_dhcp_messages_total", "type=\"release\"") > releases))
                .as("the RELEASE, unicast to 10.40.0.2, arrived").isTrue();
        assertThat(api.get("/api/v1/leases/" + address + "/history").get(0).get("type").asText()).isEqualTo("released");
    }

    @Test
    @Order(3)
    void theGatewayIsNeverAnsweredForAndAChangedServerIdentifierMovesTheFlowsLive() {
        // nobody owns the gateway address here, and we do not pretend to
        if (lab.address(c1.ns(), c1.iface()) == null) {
            lab.exec(c1.ns(), "ip", "addr", "add", "10.40.0.150/24", "dev", c1.iface());
        }
        assertThat(learnedMac(c1, "10.40.0.1")).doesNotContain("lladdr");

        api.patch("/api/v1/scopes/" + scopeId, "{\"serverIdentifier\": \"10.40.0.3\"}");
        String moved = EXPECTED_FLOWS.replace("arp_tpa=10.40.0.2", "arp_tpa=10.40.0.3");
        assertThat(OvsBridges.await(WAIT, () -> ovs.flows(bridge).equals(OvsBridges.sortedLines(moved)))).isTrue();
        assertThat(learnedMac(c1, "10.40.0.3")).contains("lladdr " + SERVER_MAC);

        // set to the gateway, the server identifier is the router's to answer for: no ARP flows at all
        api.patch("/api/v1/scopes/" + scopeId, "{\"serverIdentifier\": \"10.40.0.1\"}");
        String none = EXPECTED_FLOWS.lines().filter(l -> !l.contains("arp")).reduce("", (a, b) -> a + b + "\n");
        assertThat(OvsBridges.await(WAIT, () -> ovs.flows(bridge).equals(OvsBridges.sortedLines(none)))).isTrue();
    }

    /**
     * Sends one UDP datagram from the guest to {@code ip} (port 9, discard), which makes its kernel ask
     * who has {@code ip}, waits up to 3 s for the answer, and returns the guest's neighbour entry for it.
     */
    private String learnedMac(Guest guest, String ip) {
        lab.exec(guest.ns(), "/usr/bin/python3", "-c", "import socket, subprocess, time\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "s.sendto(b'fabric-ipam test', ('" + ip + "', 9))\n"
                + "for _ in range(30):\n"
                + "    if b'lladdr' in subprocess.run(['ip', 'neigh', 'show', '" + ip + "'], capture_output=True).stdout: break\n"
                + "    time.sleep(0.1)\n");
        return lab.exec(guest.ns(), "ip", "neigh", "show", ip);
    }

    private JsonNode lease(Guest guest) {
        return api.onlyLease(guest.mac());
    }
}
