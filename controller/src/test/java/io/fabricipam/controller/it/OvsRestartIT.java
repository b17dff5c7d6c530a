package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabricipam.controller.it.OvsBridges.Guest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Restarts, as an operator lives through them on real Open vSwitch: kill -9 of the service (the bridge
 * keeps our flows while we are away, and the renewals of clients that got their lease before the crash
 * are ACKed with the same address afterwards), and a bridge losing its OpenFlow state as it does when
 * OVS restarts (our flows and meters come back).
 *
 * <p>The network has its router: guest gw holds 10.20.0.1, the gateway and, as nobody sets another, the
 * server identifier the clients unicast their renewals to. Without a host answering ARP for that address
 * a RENEWING request never leaves the client (it falls back to broadcasting at T2).
 */
@Tag("slow") // a kill -9 and a restart of the service
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OvsRestartIT {

    static final int OPENFLOW_PORT = 26654;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String TOKEN = "fip_ovs-restart-" + UUID.randomUUID();
    static final String DPID = "00000000000f04c1";
    static final String C1_PUNT = "cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:2,CONTROLLER:65535";
    /** Three untagged guest ports, VLAN 0 the only managed network. */
    static final String EXPECTED_FLOWS = """
            cookie=0xfab1dc0000000001, priority=0 actions=NORMAL
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:1,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:2,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:3,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            """;

    NetworkLab lab;
    OvsBridges ovs;
    DhcpClients clients;
    FabricProcess fabric;
    FabricApi api;
    String bridge;
    Guest gw;
    Guest c1;
    Guest c2;
    Process udhcpc;
    String c1Address;
    List<String> installed;

    @BeforeAll
    void setUp() {
        FabricProcess.requireFreePort(OPENFLOW_PORT);
        lab = new NetworkLab("fo4r");
        clients = new DhcpClients(lab);
        ovs = new OvsBridges(lab);
        bridge = ovs.bridge("x", DPID);
        gw = ovs.guest(bridge, "gw", 1, "02:f4:00:00:0c:01");
        lab.exec(gw.ns(), "ip", "addr", "add", "10.20.0.1/24", "dev", gw.iface());
        c1 = ovs.guest(bridge, "c1", 2, "02:f4:00:00:0c:02");
        c2 = ovs.guest(bridge, "c2", 3, "02:f4:00:00:0c:03");
        fabric = service().start();
        api = new FabricApi(fabric.httpPort(), TOKEN);
        api.post("/api/v1/scopes", """
                {"name": "lab", "network": "10.20.0.0/24", "gateway": "10.20.0.1", "vlan": 0,
                 "pools": [{"start": "10.20.0.100", "end": "10.20.0.199"}], "leaseTime": 3600}""");
        ovs.connect(bridge, OPENFLOW_PORT);
        installed = OvsBridges.sortedLines(EXPECTED_FLOWS);
        assertThat(OvsBridges.await(WAIT, () -> synced() && ovs.flows(bridge).equals(installed)))
                .as("bridge connected and given our flows; see %s", fabric.log()).isTrue();
    }

    FabricProcess service() {
        return new FabricProcess(lab.dir().resolve("data"), lab.dir().resolve("fabric.log"), List.of(
                "--fabric.openflow.port=" + OPENFLOW_PORT, "--fabric.openflow.address=127.0.0.1",
                "--fabric.api.admin-token=" + TOKEN, "--logging.level.io.fabricipam.leases=DEBUG"));
    }

    @AfterAll
    void tearDown() {
        NetworkLab.closeAll(fabric, ovs, lab);
    }

    @Test
    @Order(1)
    void afterKillNineTheBridgeKeepsOurFlowsAndRenewalsAreAckedWithTheSameAddress() {
        udhcpc = clients.udhcpcDaemon(c1.ns(), c1.iface());
        assertThat(OvsBridges.await(WAIT, () -> lab.address(c1.ns(), c1.iface()) != null)).isTrue();
        c1Address = lab.address(c1.ns(), c1.iface());
        String expiresBefore = lease(c1).get("expiresAt").asText();
        long c1PuntedBefore = ovs.ourFlowPackets(bridge).get(C1_PUNT);
        assertThat(c1PuntedBefore).as("c1's DHCP went through its punt flow").isPositive(); // else the check below is void

        fabric.kill9();

        // fail_mode=secure: while nobody controls the bridge it keeps our flows, so guest DHCP is still
        // punted (to nobody) rather than flooded to whatever else listens on the network
        assertThat(ovs.flows(bridge)).as("our flows during the outage").isEqualTo(installed);
        assertThat(clients.udhcpcTries(c2.ns(), c2.iface(), 2)).as("a DISCOVER during the outage").isNotZero();
        assertThat(ovs.flows(bridge)).as("our flows seconds into the outage").isEqualTo(installed);

        fabric = service().start();
        api = new FabricApi(fabric.httpPort(), TOKEN);
        assertThat(OvsBridges.await(WAIT, this::synced)).as("the bridge finds the restarted service").isTrue();
        assertThat(ovs.flows(bridge)).isEqualTo(installed);
        // the flows were found in place and left alone: their counters go on from where they were
        assertThat(ovs.ourFlowPackets(bridge).get(C1_PUNT)).isGreaterThanOrEqualTo(c1PuntedBefore);

        renewAndExpectTheSameAddress();
        assertThat(Instant.parse(lease(c1).get("expiresAt").asText())).isAfter(Instant.parse(expiresBefore));
        assertThat(api.get("/api/v1/leases/" + c1Address + "/history").get(0).get("type").asText()).isEqualTo("renewed");
    }

    /**
     * An OVS restart cannot be done here: ovs-vswitchd is shared with other engineers' tests, and
     * restarting it would take their bridges' flows and connections away too. What a restart does to one
     * bridge is simulated instead, in its two forms:
     * <ol>
     * <li>the flows vanish behind the controller's back and the connection drops: our flows are deleted
     * with {@code ovs-ofctl del-flows BR cookie=OURS}, then {@code ovs-appctl bridge/reconnect BR} makes
     * OVS drop and re-open its controller connection;</li>
     * <li>everything vanishes, meters included, on a new connection: {@code del-controller} and a new
     * Controller row, which makes OVS flush every flow and meter of the bridge (measured here, see
     * ovs-integration/README.md), as a restarted vswitchd starts with none.</li>
     * </ol>
     * Both times our flows and meters come back and a client renews as before.
     */
    @Test
    @Order(2)
    void whenTheBridgeLosesItsOpenFlowStateOurFlowsComeBack() {
        List<String> meters = ovs.meters(bridge);
        assertThat(meters).hasSize(3);

        ovs.ofctl("del-flows", bridge, "cookie=" + OvsBridges.OUR_COOKIES);
        assertThat(ovs.flows(bridge)).isEmpty();
        NetworkLab.run("ovs-appctl", "bridge/reconnect", bridge);
        assertThat(OvsBridges.await(WAIT, () -> ovs.flows(bridge).equals(installed))).as("flows after del-flows").isTrue();
        renewAndExpectTheSameAddress();

        ovs.disconnect(bridge);
        assertThat(ovs.flows(bridge)).isEmpty();
        assertThat(ovs.meters(bridge)).isEmpty();
        ovs.connect(bridge, OPENFLOW_PORT);
        assertThat(OvsBridges.await(WAIT, () -> ovs.flows(bridge).equals(installed) && ovs.meters(bridge).equals(meters)))
                .as("flows and meters after a flush").isTrue();
        renewAndExpectTheSameAddress();
        assertThat(clients.udhcpc(c2.ns(), c2.iface(), false)).as("a new client").isZero();
        assertThat(lab.address(c2.ns(), c2.iface())).startsWith("10.20.0.1");
    }

    /** udhcpc's SIGUSR1: a RENEWING request, unicast to the server identifier, must be ACKed for the same address. */
    private void renewAndExpectTheSameAddress() {
        double acks = api.metric("fabric_dhcp_replies_total", "type=\"ack\"");
        int logFrom = clients.udhcpcLog(c1.iface()).length();
        NetworkLab.run("kill", "-USR1", Long.toString(udhcpc.pid()));
        assertThat(OvsBridges.await(WAIT, () -> clients.udhcpcLog(c1.iface()).substring(logFrom).contains("obtained")))
                .as(clients.udhcpcLog(c1.iface())).isTrue();
        String log = clients.udhcpcLog(c1.iface()).substring(logFrom);
        assertThat(log).contains("sending renew to server 10.20.0.1").contains("lease of " + c1Address + " obtained")
                .as("the unicast renewal was answered; no fallback to broadcast").doesNotContain("broadcasting");
        assertThat(api.metric("fabric_dhcp_replies_total", "type=\"ack\"")).isGreaterThan(acks);
        assertThat(lab.address(c1.ns(), c1.iface())).isEqualTo(c1Address);
        assertThat(lease(c1).get("state").asText()).isEqualTo("bound");
    }

    private JsonNode lease(Guest guest) {
        return api.onlyLease(guest.mac());
    }

    private boolean synced() {
        for (JsonNode s : api.get("/api/v1/switches")) {
            if (s.get("datapathId").asText().equals(DPID) && s.get("flowState").asText().equals("synced")) {
                return true;
            }
        }
        return false;
    }
}
