package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabricipam.controller.it.OvsBridges.Guest;
import io.fabricipam.dhcp.testing.ClientPacket;
import io.fabricipam.ovs.frame.UdpFrame;
import io.fabricipam.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole application on real Open vSwitch, as an operator runs it: the packaged jar with its embedded
 * H2, scopes and a reservation made over REST, two userspace bridges ("hosts") pointed at it, and guests in
 * namespaces running udhcpc, dhclient and dhcpcd, dnsmasq as someone else's server, and raw frames where a
 * guest misbehaves. Every check is something an operator can see: the guest's address and the options it
 * got, the lease table, {@code GET /api/v1/switches}, {@code ovs-ofctl dump-flows}/{@code meter-stats}, and
 * {@code /actuator/prometheus}.
 *
 * <pre>
 * bridge fo4-a (host A)                               bridge fo4-b (host B)
 *   1 g1  untagged (trunk)  udhcpc                      1 h1  untagged  udhcpc
 *   2 g2  untagged, attached-mac pinned  dhclient       2 h2  tag 10    udhcpc
 *   3 g3  untagged          dhcpcd (reservation)
 *   4 g4  tag 10            udhcpc (scope "blue")
 *   5 u1  tag 30            udhcpc (VLAN 30: no scope of ours)
 *   6 d1  tag 30            dnsmasq, the operator's server for VLAN 30
 *   7 r1  tag 10            dnsmasq, a rogue server on a managed VLAN
 * scopes: "lab" VLAN 0 10.20.0.0/24 (pool .100-.199, g3 reserved .10); "blue" VLAN 10, the same network
 * (pool .50-.59)
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OvsPuntIT {

    /** A fixed, unusual OpenFlow port: the bridges are configured with it before the service listens. */
    static final int OPENFLOW_PORT = 26653;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String TOKEN = "fip_ovs-punt-" + UUID.randomUUID();
    static final String DPID_A = "00000000000f04a1";
    static final String DPID_B = "00000000000f04b1";
    static final String MAC1 = "02:f4:00:00:00:01";
    static final String MAC2 = "02:f4:00:00:00:02";
    static final String MAC3 = "02:f4:00:00:00:03";
    static final String MAC4 = "02:f4:00:00:00:04";
    static final String MAC_U1 = "02:f4:00:00:00:05";
    static final String MAC_TRUNK_VM = "02:f4:00:00:0a:71";

    static final String EXPECTED_FLOWS_A = """
            cookie=0xfab1dc0000000001, priority=0 actions=NORMAL
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:1,CONTROLLER:65535
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=1,dl_vlan=10,tp_src=68,tp_dst=67 actions=meter:1,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,dl_vlan=10,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,dl_src=02:f4:00:00:00:02,tp_src=68,tp_dst=67 actions=meter:2,CONTROLLER:65535
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,dl_vlan=10,dl_src=02:f4:00:00:00:02,tp_src=68,tp_dst=67 actions=meter:2,CONTROLLER:65535
            cookie=0xfab1dc0000000003, priority=290,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=drop
            cookie=0xfab1dc0000000003, priority=290,udp,in_port=2,dl_vlan=10,tp_src=68,tp_dst=67 actions=drop
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,dl_vlan=10,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:3,CONTROLLER:65535
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=3,dl_vlan=10,tp_src=68,tp_dst=67 actions=meter:3,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=3,dl_vlan=10,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=4,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:4,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=4,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=7,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:7,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=7,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            """;

    static final String EXPECTED_FLOWS_B = """
            cookie=0xfab1dc0000000001, priority=0 actions=NORMAL
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:1,CONTROLLER:65535
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=1,dl_vlan=10,tp_src=68,tp_dst=67 actions=meter:1,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,dl_vlan=10,tp_src=67,tp_dst=68 actions=drop
            cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:2,CONTROLLER:65535
            cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
            """;

    NetworkLab lab;
    OvsBridges ovs;
    DhcpClients clients;
    FabricProcess fabric;
    FabricApi api;
    String bridgeA;
    String bridgeB;
    Guest g1;
    Guest g2;
    Guest g3;
    Guest g4;
    Guest u1;
    Guest d1;
    Guest r1;
    Guest h1;
    Guest h2;
    String labScope;
    final Map<String, String> addresses = new HashMap<>();

    @BeforeAll
    void setUp() {
        FabricProcess.requireFreePort(OPENFLOW_PORT);
        lab = new NetworkLab("fo4");
        clients = new DhcpClients(lab);
        ovs = new OvsBridges(lab);
        bridgeA = ovs.bridge("a", DPID_A);
        bridgeB = ovs.bridge("b", DPID_B);
        g1 = ovs.guest(bridgeA, "g1", 1, MAC1);
        g2 = ovs.guest(bridgeA, "g2", 2, MAC2, "Interface:external_ids:attached-mac=" + MAC2);
        g3 = ovs.guest(bridgeA, "g3", 3, MAC3);
        g4 = ovs.guest(bridgeA, "g4", 4, MAC4, "tag=10");
        u1 = ovs.guest(bridgeA, "u1", 5, MAC_U1, "tag=30");
        d1 = ovs.guest(bridgeA, "d1", 6, "02:f4:00:00:00:06", "tag=30");
        r1 = ovs.guest(bridgeA, "r1", 7, "02:f4:00:00:00:07", "tag=10");
        h1 = ovs.guest(bridgeB, "h1", 1, "02:f4:00:00:0b:01");
        h2 = ovs.guest(bridgeB, "h2", 2, "02:f4:00:00:0b:02", "tag=10");

        fabric = new FabricProcess(lab.dir().resolve("data"), lab.dir().resolve("fabric.log"), List.of(
                "--fabric.openflow.port=" + OPENFLOW_PORT, "--fabric.openflow.address=127.0.0.1",
                "--fabric.api.admin-token=" + TOKEN, "--logging.level.io.fabricipam.leases=DEBUG")).start();
        api = new FabricApi(fabric.httpPort(), TOKEN);
        labScope = api.post("/api/v1/scopes", """
                {"name": "lab", "network": "10.20.0.0/24", "gateway": "10.20.0.1", "vlan": 0,
                 "pools": [{"start": "10.20.0.100", "end": "10.20.0.199"}], "leaseTime": 3600,
                 "options": {"dnsServers": ["10.20.0.53"], "domainName": "lab.example"}}""").get("id").asText();
        api.post("/api/v1/scopes", """
                {"name": "blue", "network": "10.20.0.0/24", "gateway": "10.20.0.1", "vlan": 10,
                 "pools": [{"start": "10.20.0.50", "end": "10.20.0.59"}], "leaseTime": 3600,
                 "options": {"domainName": "blue.example"}}""");
        api.post("/api/v1/scopes/" + labScope + "/reservations",
                "{\"mac\": \"" + MAC3 + "\", \"ip\": \"10.20.0.10\", \"hostname\": \"vm-three\"}");

        ovs.connect(bridgeA, OPENFLOW_PORT);
        ovs.connect(bridgeB, OPENFLOW_PORT);
        assertThat(OvsBridges.await(WAIT, () -> ovs.flows(bridgeA).equals(OvsBridges.sortedLines(EXPECTED_FLOWS_A))
                && ovs.flows(bridgeB).equals(OvsBridges.sortedLines(EXPECTED_FLOWS_B))))
                .as("both bridges connected and given our flows; see %s", fabric.log()).isTrue();
    }

    @AfterAll
    void tearDown() {
        NetworkLab.closeAll(fabric, ovs, lab);
    }

    @Test
    @Order(1)
    void udhcpcDhclientAndDhcpcdGetTheAddressesTheScopesSay() {
        DhcpClients.DhcpcdSession dhcpcd = clients.dhcpcd(g3.ns(), g3.iface());
        assertThat(clients.udhcpc(g1.ns(), g1.iface(), false)).as(clients.udhcpcLog(g1.iface())).isZero();
        assertThat(clients.dhclient(g2.ns(), g2.iface())).isZero();
        assertThat(clients.udhcpc(g4.ns(), g4.iface(), false)).as(clients.udhcpcLog(g4.iface())).isZero();
        assertThat(OvsBridges.await(WAIT, () -> lab.address(g3.ns(), g3.iface()) != null)).as("dhcpcd's lease").isTrue();

        String a1 = lab.address(g1.ns(), g1.iface());
        String a2 = lab.address(g2.ns(), g2.iface());
        assertThat(lastOctet(a1)).as(a1).isBetween(100, 199);
        assertThat(lastOctet(a2)).as(a2).isBetween(100, 199);
        assertThat(a1).startsWith("10.20.0.").isNotEqualTo(a2);
        assertThat(lab.address(g3.ns(), g3.iface())).as("the reservation made over REST").isEqualTo("10.20.0.10");
        String a4 = lab.address(g4.ns(), g4.iface());
        assertThat(a4).startsWith("10.20.0.");
        assertThat(lastOctet(a4)).as("tag 10 selects scope blue: %s", a4).isBetween(50, 59);
        addresses.put(MAC1, a1);
        addresses.put(MAC4, a4);

        // what the client was told, as its script saw it
        assertThat(clients.leaseOf(g1.iface())).containsEntry("ip", a1).containsEntry("serverid", "10.20.0.1")
                .containsEntry("router", "10.20.0.1").containsEntry("dns", "10.20.0.53")
                .containsEntry("domain", "lab.example").containsEntry("lease", "3600");
        assertThat(clients.leaseOf(g4.iface())).containsEntry("ip", a4).containsEntry("domain", "blue.example");

        // and what the operator sees in the lease table: who, where (bridge and port), which scope
        assertLease(MAC1, a1, "lab", "of:" + DPID_A + "/" + g1.port());
        assertLease(MAC2, a2, "lab", "of:" + DPID_A + "/" + g2.port());
        assertLease(MAC3, "10.20.0.10", "lab", "of:" + DPID_A + "/" + g3.port());
        assertLease(MAC4, a4, "blue", "of:" + DPID_A + "/" + g4.port());
        // dhcpcd's RELEASE is unicast to the server identifier, 10.20.0.1, which no host on this network
        // owns: its kernel gets no ARP answer and drops it, so the lease stays bound until it expires
        // (OvsRestartIT has a router at that address and shows unicast renewals answered)
        assertThat(dhcpcd.release()).as("dhcpcd -k").isZero();
    }

    @Test
    @Order(2)
    void dumpFlowsShowsExactlyTheIntendedFlowsAndMeters() {
        // every flow on the bridges is ours (cookie 0xfab1dc...), and nothing but the intended ones
        assertThat(String.join("\n", ovs.flows(bridgeA))).isEqualTo(String.join("\n", OvsBridges.sortedLines(EXPECTED_FLOWS_A)));
        assertThat(String.join("\n", ovs.flows(bridgeB))).isEqualTo(String.join("\n", OvsBridges.sortedLines(EXPECTED_FLOWS_B)));
        assertThat(ovs.meters(bridgeA)).containsExactly(
                "meter=1 pktps burst stats bands=type=drop rate=100 burst_size=50",
                "meter=2 pktps burst stats bands=type=drop rate=100 burst_size=50",
                "meter=3 pktps burst stats bands=type=drop rate=100 burst_size=50",
                "meter=4 pktps burst stats bands=type=drop rate=100 burst_size=50",
                "meter=7 pktps burst stats bands=type=drop rate=100 burst_size=50");
    }

    @Test
    @Order(3)
    void theSwitchesApiShowsBridgesPortsScopesAndGrowingCounters() {
        JsonNode a = switchView(DPID_A);
        assertThat(a.get("flowState").asText()).isEqualTo("synced");
        assertThat(a.get("address").asText()).startsWith("127.0.0.1:");
        Map<String, JsonNode> ports = new HashMap<>();
        a.get("ports").forEach(p -> ports.put(p.get("name").asText(), p));
        assertThat(ports.keySet()).containsExactlyInAnyOrder(g1.port(), g2.port(), g3.port(), g4.port(), u1.port(),
                d1.port(), r1.port(), bridgeA);
        assertPort(ports.get(g1.port()), 1, 0, true, "lab");
        assertPort(ports.get(g2.port()), 2, 0, true, "lab");
        assertThat(ports.get(g2.port()).get("attachedMac").asText()).isEqualTo(MAC2);
        assertPort(ports.get(g4.port()), 4, 10, true, "blue");
        assertPort(ports.get(r1.port()), 7, 10, true, "blue");
        assertPort(ports.get(u1.port()), 5, 30, false);
        assertPort(ports.get(d1.port()), 6, 30, false);
        assertThat(ports.get(bridgeA).get("role").asText()).isEqualTo("local");

        // the API's flows are the ones ovs-ofctl shows
        List<String> apiFlows = new ArrayList<>();
        a.get("flows").forEach(f -> apiFlows.add(f.get("flow").asText()));
        assertThat(apiFlows).containsExactlyInAnyOrderElementsOf(OvsBridges.sortedLines(EXPECTED_FLOWS_A));

        String punt1 = "cookie=0xfab1dc0000000002, priority=300,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:1,CONTROLLER:65535";
        long before = packets(a, punt1);
        assertThat(clients.udhcpc(g1.ns(), g1.iface(), false)).isZero();
        // a DISCOVER and a REQUEST more, counted by the switch, read back through the API
        assertThat(OvsBridges.await(WAIT, () -> packets(switchView(DPID_A), punt1) >= before + 2))
                .as("packets of g1's punt flow, %d before", before).isTrue();
        assertThat(ovs.ourFlowPackets(bridgeA).get(punt1)).isGreaterThanOrEqualTo(before + 2);
    }

    @Test
    @Order(4)
    void anUnmanagedVlanIsLeftToItsOwnServerWhoseLeaseArrivesUnchanged() throws Exception {
        double messagesBefore = api.metric("fabric_dhcp_messages_total", null);
        assertThat(clients.udhcpcTries(u1.ns(), u1.iface(), 3)).as("udhcpc on VLAN 30 with no server there").isNotZero();
        assertThat(lab.address(u1.ns(), u1.iface())).isNull();
        assertThat(api.metric("fabric_dhcp_messages_total", null)).as("nothing from VLAN 30 reached us").isEqualTo(messagesBefore);

        // the operator's own server on VLAN 30, in another guest
        lab.exec(d1.ns(), "ip", "addr", "add", "10.30.0.2/24", "dev", d1.iface());
        try (Dnsmasq dnsmasq = Dnsmasq.start(lab, d1, "10.30.0.100,10.30.0.150,255.255.255.0,600",
                "--dhcp-option=option:router,10.30.0.1", "--dhcp-option=option:dns-server,10.30.0.53",
                "--dhcp-option=option:domain-name,thirty.example")) {
            assertThat(clients.udhcpc(u1.ns(), u1.iface(), false)).as(clients.udhcpcLog(u1.iface())).isZero();
            String address = lab.address(u1.ns(), u1.iface());
            assertThat(address).startsWith("10.30.0.");
            assertThat(lastOctet(address)).isBetween(100, 150);
            assertThat(clients.leaseOf(u1.iface())).containsEntry("ip", address).containsEntry("serverid", "10.30.0.2")
                    .containsEntry("router", "10.30.0.1").containsEntry("dns", "10.30.0.53")
                    .containsEntry("domain", "thirty.example").containsEntry("lease", "600");
            assertThat(dnsmasq.leases()).contains(MAC_U1 + " " + address);
            assertThat(api.get("/api/v1/leases?mac=" + MAC_U1).get("total").asInt()).isZero();
        }
    }

    @Test
    @Order(5)
    void aRogueServerOnAManagedVlanGivesNoLease() throws Exception {
        lab.exec(r1.ns(), "ip", "addr", "add", "10.20.0.254/24", "dev", r1.iface());
        try (Dnsmasq rogue = Dnsmasq.start(lab, r1, "10.20.0.220,10.20.0.230,255.255.255.0,600")) {
            assertThat(clients.udhcpc(g4.ns(), g4.iface(), false)).as(clients.udhcpcLog(g4.iface())).isZero();
            assertThat(clients.leaseOf(g4.iface())).containsEntry("serverid", "10.20.0.1")
                    .containsEntry("ip", addresses.get(MAC4));
            assertThat(rogue.leases()).as("the rogue's lease file").isEmpty();
            // the victim's DISCOVER went to us only; the rogue never even saw it
            assertThat(rogue.log()).contains("DHCP, IP range 10.20.0.220").doesNotContain("DHCPDISCOVER");
        }

        // a forged OFFER from the rogue's port dies at that port, and the drop flow counts it
        String rogueDrop = "cookie=0xfab1dc0000000004, priority=280,udp,in_port=7,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop";
        long before = packets(switchView(DPID_A), rogueDrop);
        ovs.sendFrames(r1, GuestFrames.rogueOffer(r1.mac(), "10.20.0.254", MAC4, "10.20.0.222"));
        assertThat(OvsBridges.await(WAIT, () -> packets(switchView(DPID_A), rogueDrop) == before + 1)).isTrue();
    }

    @Test
    @Order(6)
    void aTrunkGuestsTaggedRequestIsAnsweredFromTheVlansScopeWithTheTagKept() throws Exception {
        Tools.require("tcpdump");
        // g1's port has no access tag, so OVS treats it as a trunk. This kernel has no 802.1Q devices, so
        // the tagged DISCOVER of a "VM behind the trunk" leaves through a raw socket.
        byte[] discover = ClientPacket.discover().mac(MAC_TRUNK_VM).xid(0x0fab0001).bytes();
        byte[] frame = GuestFrames.client(MAC_TRUNK_VM, 10, discover);
        Path captured = lab.dir().resolve("trunk-capture.txt");
        Process capture = lab.start(g1.ns(), captured, "tcpdump", "-l", "-n", "-e", "-vv", "-i", g1.iface(), "-c", "1",
                "vlan 10 and udp src port 67");
        try {
            assertThat(OvsBridges.await(WAIT, () -> read(captured).contains("listening on"))).isTrue();
            ovs.sendFrames(g1, frame);
            assertThat(capture.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(read(captured)).isTrue();
        } finally {
            stop(capture);
        }
        String offer = read(captured);
        assertThat(offer).contains("vlan 10").contains("Offer").contains("Client-Ethernet-Address " + MAC_TRUNK_VM)
                .contains("Server-ID (54), length 4: 10.20.0.1").contains("Domain-Name (15), length 12: \"blue.example\"");
        String yiaddr = offer.replaceAll("(?s).*Your-IP (10\\.20\\.0\\.\\d+).*", "$1");
        assertThat(lastOctet(yiaddr)).as("offered from blue's pool").isBetween(50, 59);
    }

    @Test
    @Order(7)
    void twoBridgesOnOneControllerAreServedIndependently() {
        assertThat(clients.udhcpc(h1.ns(), h1.iface(), false)).as(clients.udhcpcLog(h1.iface())).isZero();
        assertThat(clients.udhcpc(h2.ns(), h2.iface(), false)).as(clients.udhcpcLog(h2.iface())).isZero();
        String b1 = lab.address(h1.ns(), h1.iface());
        String b2 = lab.address(h2.ns(), h2.iface());
        assertThat(lastOctet(b1)).isBetween(100, 199);
        assertThat(lastOctet(b2)).isBetween(50, 59);
        assertThat(b1).isNotEqualTo(addresses.get(MAC1));
        assertThat(b2).isNotEqualTo(addresses.get(MAC4));
        assertLease(h1.mac(), b1, "lab", "of:" + DPID_B + "/" + h1.port());
        assertLease(h2.mac(), b2, "blue", "of:" + DPID_B + "/" + h2.port());
        List<String> dpids = new ArrayList<>();
        api.get("/api/v1/switches").forEach(s -> dpids.add(s.get("datapathId").asText()));
        assertThat(dpids).containsExactlyInAnyOrder(DPID_A, DPID_B);

        // host A loses its controller connection (OVS flushes its flows); host B is served all the while
        ovs.disconnect(bridgeA);
        assertThat(ovs.flows(bridgeA)).isEmpty();
        assertThat(clients.udhcpc(h1.ns(), h1.iface(), false)).isZero();
        assertThat(lab.address(h1.ns(), h1.iface())).isEqualTo(b1);
        ovs.connect(bridgeA, OPENFLOW_PORT);
        assertThat(OvsBridges.await(WAIT, () -> ovs.flows(bridgeA).equals(OvsBridges.sortedLines(EXPECTED_FLOWS_A)))).isTrue();
        assertThat(OvsBridges.await(WAIT, () -> ovs.meters(bridgeA).size() == 5)).isTrue();
        assertThat(clients.udhcpc(g1.ns(), g1.iface(), false)).isZero();
        assertThat(lab.address(g1.ns(), g1.iface())).isEqualTo(addresses.get(MAC1));
    }

    @Test
    @Order(8)
    void malformedDhcpFromAGuestIsDroppedAndCounted() {
        byte[] badCookie = ClientPacket.discover().mac(MAC1).xid(0x0badc00c).bytes();
        badCookie[236] = (byte) 0xde; // the magic cookie 63 82 53 63 -> de 82 53 63
        byte[] truncated = Arrays.copyOf(ClientPacket.discover().mac(MAC1).xid(0x0badc00d).bytes(), 100);
        String cookie = "reason=\"bad-magic-cookie\"";
        String shortMessage = "reason=\"truncated\"";
        double cookieBefore = api.metric("fabric_dhcp_drops_total", cookie);
        double truncatedBefore = api.metric("fabric_dhcp_drops_total", shortMessage);
        double repliesBefore = api.metric("fabric_dhcp_replies_total", null);

        ovs.sendFrames(g1, GuestFrames.client(MAC1, UdpFrame.UNTAGGED, badCookie),
                GuestFrames.client(MAC1, UdpFrame.UNTAGGED, truncated));

        assertThat(OvsBridges.await(WAIT, () -> api.metric("fabric_dhcp_drops_total", cookie) > cookieBefore
                && api.metric("fabric_dhcp_drops_total", shortMessage) > truncatedBefore)).isTrue();
        assertThat(api.metric("fabric_dhcp_drops_total", cookie)).isEqualTo(cookieBefore + 1);
        assertThat(api.metric("fabric_dhcp_drops_total", shortMessage)).isEqualTo(truncatedBefore + 1);
        assertThat(api.metric("fabric_dhcp_replies_total", null)).isEqualTo(repliesBefore);
    }

    @Test
    @Order(9)
    void aFloodFromOneGuestPortIsMeteredAndAnotherGuestStillGetsItsLease() throws Exception {
        String punt2 = "cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,dl_src=02:f4:00:00:00:02,tp_src=68,tp_dst=67 actions=meter:2,CONTROLLER:65535";
        long arrivedBefore = ovs.ourFlowPackets(bridgeA).get(punt2);
        long droppedBefore = ovs.meterDrops(bridgeA, 2);
        double discoversBefore = api.metric("fabric_dhcp_messages_total", "type=\"discover\"");
        byte[] discover = GuestFrames.client(MAC2, UdpFrame.UNTAGGED, ClientPacket.discover().mac(MAC2).xid(0x00f100d0).bytes());
        Path stopFile = lab.dir().resolve("stop-flood");
        // g2 sends DISCOVERs at ~1,000/s (100 every 0.1 s: any faster and the veth itself loses them): at
        // least 3,000, then on until told to stop, and 15,000 at most, so it cannot outlive a failed test
        Process flood = lab.start(g2.ns(), lab.dir().resolve("flood.log"), "/usr/bin/python3", "-c", "import os, socket, time\n"
                + "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('" + g2.iface() + "', 0))\n"
                + "f = bytes.fromhex('" + HexFormat.of().formatHex(discover) + "')\n"
                + "n = 0\n"
                + "while n < 15000 and (n < 3000 or not os.path.exists('" + stopFile + "')):\n"
                + "    for _ in range(100): s.send(f)\n"
                + "    n += 100\n"
                + "    time.sleep(0.1)\n"
                + "print('sent', n, flush=True)\n");
        boolean servedDuringFlood;
        try {
            assertThat(OvsBridges.await(WAIT, () -> ovs.meterDrops(bridgeA, 2) > droppedBefore + 200))
                    .as("meter 2 dropping the flood").isTrue();
            assertThat(clients.udhcpc(g1.ns(), g1.iface(), false)).as("g1 during the flood").isZero();
            servedDuringFlood = flood.isAlive();
        } finally {
            Files.writeString(stopFile, "");
        }
        assertThat(flood.waitFor(30, TimeUnit.SECONDS)).as("the flood stops when told").isTrue();
        assertThat(servedDuringFlood).as("the flood was still on when g1 got its lease").isTrue();
        assertThat(lab.address(g1.ns(), g1.iface())).isEqualTo(addresses.get(MAC1));

        // OVS adds datapath counters to its flows in the background (about every 0.5 s): wait until they stand
        long[] arrived = {-1};
        assertThat(OvsBridges.await(WAIT, () -> {
            long previous = arrived[0];
            FabricProcess.sleep(600);
            arrived[0] = ovs.ourFlowPackets(bridgeA).get(punt2) - arrivedBefore;
            return arrived[0] == previous;
        })).isTrue();
        long dropped = ovs.meterDrops(bridgeA, 2) - droppedBefore;
        double discovers = api.metric("fabric_dhcp_messages_total", "type=\"discover\"") - discoversBefore;
        System.out.printf("flood from g2: %s; %d reached the bridge, meter 2 dropped %d, %d punted, we saw %.0f DISCOVERs%n",
                read(lab.dir().resolve("flood.log")).trim(), arrived[0], dropped, arrived[0] - dropped, discovers);
        // the meter passes 100/s plus a burst of 50, and the flood arrives many times faster
        assertThat(dropped).as("dropped by the meter, of %d", arrived[0]).isGreaterThan(arrived[0] / 2);
        // only what the meter let through (and g1's own DISCOVER) reached the DHCP core
        assertThat(discovers).isLessThanOrEqualTo(arrived[0] - dropped + 2);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private JsonNode switchView(String dpid) {
        for (JsonNode s : api.get("/api/v1/switches")) {
            if (s.get("datapathId").asText().equals(dpid)) {
                return s;
            }
        }
        throw new AssertionError("switch " + dpid + " not in GET /api/v1/switches");
    }

    private static long packets(JsonNode switchView, String flow) {
        for (JsonNode f : switchView.get("flows")) {
            if (f.get("flow").asText().equals(flow)) {
                return f.get("packets").asLong();
            }
        }
        throw new AssertionError("no flow " + flow + " in " + switchView.get("flows"));
    }

    private static void assertPort(JsonNode port, int ofport, int vlan, boolean intercepted, String... scopes) {
        assertThat(port.get("ofport").asInt()).isEqualTo(ofport);
        assertThat(port.get("role").asText()).isEqualTo("guest");
        assertThat(port.get("vlan").asInt()).isEqualTo(vlan);
        assertThat(port.get("intercepted").asBoolean()).as("intercepted: %s", port).isEqualTo(intercepted);
        List<String> bound = new ArrayList<>();
        port.get("scopes").forEach(s -> bound.add(s.asText()));
        assertThat(bound).as("scopes of %s", port.get("name")).containsExactly(scopes);
    }

    private void assertLease(String mac, String ip, String scope, String seenOn) {
        JsonNode items = api.get("/api/v1/leases?mac=" + mac).get("items");
        assertThat(items).as("leases of %s", mac).hasSize(1);
        JsonNode lease = items.get(0);
        assertThat(lease.get("ip").asText()).isEqualTo(ip);
        assertThat(lease.get("scope").asText()).isEqualTo(scope);
        assertThat(lease.get("state").asText()).isEqualTo("bound");
        assertThat(lease.get("seenOn").asText()).isEqualTo(seenOn);
    }

    static int lastOctet(String ip) {
        assertThat(ip).as("an IPv4 address").matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        return Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1));
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
