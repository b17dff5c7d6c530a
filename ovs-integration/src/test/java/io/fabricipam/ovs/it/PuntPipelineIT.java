package io.fabricipam.ovs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.ovs.OpenFlowController;
import io.fabricipam.ovs.OpenFlowSettings;
import io.fabricipam.ovs.channel.DatapathIds;
import io.fabricipam.ovs.frame.FrameCodec;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.frame.UdpFrame;
import io.fabricipam.ovs.punt.PuntDrop;
import io.fabricipam.ovs.punt.PuntedDhcp;
import io.fabricipam.ovs.switches.FlowStat;
import io.fabricipam.ovs.switches.FlowState;
import io.fabricipam.ovs.switches.PortView;
import io.fabricipam.ovs.switches.SwitchView;
import io.fabricipam.ovs.port.PortRole;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The punt pipeline on a real OVS bridge with guests in namespaces: the exact flows and meters, real
 * udhcpc requests arriving at the handler with the right port, VLAN and MAC, our packet-outs giving
 * udhcpc a lease, a rogue DHCP server's replies dropped, and port changes reconciled live.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PuntPipelineIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String MAC1 = "02:00:00:0a:00:01";
    private static final String MAC2 = "02:00:00:0a:00:02";
    private static final MacAddress SERVER_MAC = MacAddress.parse("02:00:00:0a:00:fe");

    private OvsLab lab;
    private OpenFlowController controller;
    private final PuntedRecorder recorder = new PuntedRecorder();
    private String bridge;
    private long dpid;
    private String g1;
    private String g2;
    private String g3;
    private String g4;

    @BeforeAll
    void setUp() throws Exception {
        lab = new OvsLab("a");
        controller = new OpenFlowController(OpenFlowSettings.defaults().withListener("127.0.0.1", 0)
                .withMeters(true, 20, 5), Clock.systemUTC());
        controller.setManagedVlans(Set.of(0, 10));
        controller.setPuntHandler(recorder);
        controller.start();

        bridge = lab.bridge("x");
        g1 = lab.guest(bridge, "g1", 1, MAC1, "Interface:external_ids:attached-mac=" + MAC1);
        g2 = lab.guest(bridge, "g2", 2, MAC2, "tag=10");
        g3 = lab.guest(bridge, "g3", 3, "02:00:00:0a:00:03", "tag=20");
        g4 = lab.guest(bridge, "g4", 4, "02:00:00:0a:00:04", "tag=10");
        lab.guest(bridge, "up", 9, "02:00:00:0a:00:09", "Interface:external_ids:fabric-role=uplink");
        dpid = DatapathIds.parse(lab.vsctl("get", "bridge", bridge, "datapath_id").trim().replace("\"", ""));
        lab.connect(bridge, controller.boundPort());
        assertThat(OvsLab.await(WAIT, () -> synced(5))).as("bridge connected and reconciled").isTrue();
    }

    @AfterAll
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        recorder.close();
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void clear() {
        recorder.clear();
        recorder.respondWith(p -> { });
    }

    @Test
    @Order(1)
    void installsExactlyTheIntendedFlowsAndMeters() {
        assertThat(OvsLab.lines(lab.flows(bridge))).isEqualTo(sorted("""
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=1,vlan_tci=0x0000/0x1fff,dl_src=02:00:00:0a:00:01,tp_src=68,tp_dst=67 actions=meter:1,CONTROLLER:65535
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=1,dl_vlan=10,dl_src=02:00:00:0a:00:01,tp_src=68,tp_dst=67 actions=meter:1,CONTROLLER:65535
                cookie=0xfab1dc0000000003, priority=290,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=drop
                cookie=0xfab1dc0000000003, priority=290,udp,in_port=1,dl_vlan=10,tp_src=68,tp_dst=67 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,dl_vlan=10,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:2,CONTROLLER:65535
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000002, priority=300,udp,in_port=4,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:4,CONTROLLER:65535
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=4,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop"""));
        assertThat(lab.meters(bridge)).containsExactly(
                "meter=1 pktps burst stats bands=type=drop rate=20 burst_size=5",
                "meter=2 pktps burst stats bands=type=drop rate=20 burst_size=5",
                "meter=4 pktps burst stats bands=type=drop rate=20 burst_size=5");
    }

    @Test
    @Order(2)
    void theReadModelShowsPortsRolesAndVlans() {
        SwitchView view = controller.switches().stream().filter(s -> s.dpid() == dpid).findFirst().orElseThrow();

        assertThat(view.flowState()).isEqualTo(FlowState.SYNCED);
        assertThat(view.remoteAddress()).contains("127.0.0.1");
        assertThat(view.ports()).filteredOn(p -> p.ofport() < 0xff00)
                .extracting(PortView::ofport, PortView::role, PortView::vlan, PortView::attachedMac, PortView::intercepted)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, PortRole.GUEST, 0, MAC1, true),
                        org.assertj.core.groups.Tuple.tuple(2, PortRole.GUEST, 10, null, true),
                        org.assertj.core.groups.Tuple.tuple(3, PortRole.GUEST, 20, null, false),
                        org.assertj.core.groups.Tuple.tuple(4, PortRole.GUEST, 10, null, true),
                        org.assertj.core.groups.Tuple.tuple(9, PortRole.UPLINK, 0, null, false));
        assertThat(view.ports()).filteredOn(p -> p.role() == PortRole.LOCAL).extracting(PortView::name).containsExactly(bridge);
    }

    @Test
    @Order(3)
    void udhcpcDiscoversArriveWithPortVlanAndMac() {
        Process c1 = lab.start(g1, "udhcpc", "-s", lab.udhcpcScript().toString(), "-f", "-n", "-i", "eth0", "-t", "3", "-T", "1");
        Process c2 = lab.start(g2, "udhcpc", "-s", lab.udhcpcScript().toString(), "-f", "-n", "-i", "eth0", "-t", "3", "-T", "1");
        try {
            assertThat(OvsLab.await(WAIT, () -> !recorder.from(dpid, 1).isEmpty() && !recorder.from(dpid, 2).isEmpty())).isTrue();
        } finally {
            OvsLab.stop(c1);
            OvsLab.stop(c2);
        }
        PuntedDhcp first = recorder.from(dpid, 1).get(0);
        assertThat(first.portName()).isEqualTo(lab.portName("g1"));
        assertThat(first.vlan()).isZero();
        assertThat(first.frame().tagged()).isFalse();
        assertThat(first.srcMac()).isEqualTo(MacAddress.parse(MAC1));
        assertThat(first.srcIp().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(DhcpTestMessages.messageType(first.payload())).isEqualTo(DhcpTestMessages.DISCOVER);

        PuntedDhcp second = recorder.from(dpid, 2).get(0);
        assertThat(second.vlan()).isEqualTo(10);
        assertThat(second.srcMac()).isEqualTo(MacAddress.parse(MAC2));
    }

    @Test
    @Order(4)
    void aTaggedRequestFromATrunkGuestCarriesItsVlanAndTheAnswerKeepsTheTag() throws Exception {
        // Port 1 has no access tag, so OVS treats it as a trunk and VLAN 10 frames from it are on VLAN 10.
        // This kernel has no 802.1Q devices, so the tagged DISCOVER goes out of a raw socket.
        recorder.respondWith(p -> answer(p, "10.10.0.71"));
        Process capture = lab.start(g1, "tcpdump", "-l", "-n", "-e", "-i", "eth0", "-c", "1", "udp port 68 and src port 67");
        assertThat(OvsLab.await(WAIT, () -> lab.log(g1, capture).contains("listening"))).isTrue();
        UdpFrame discover = new UdpFrame(MacAddress.BROADCAST, MacAddress.parse(MAC1), 10,
                (Inet4Address) InetAddress.getByName("0.0.0.0"), (Inet4Address) InetAddress.getByName("255.255.255.255"),
                68, 67, DhcpTestMessages.discover(MacAddress.parse(MAC1).toBytes(), 0x1234));

        lab.ns(g1, "/usr/bin/python3", "-c", "import socket; s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); "
                + "s.bind(('eth0', 0)); s.send(bytes.fromhex('" + java.util.HexFormat.of().formatHex(FrameCodec.encode(discover)) + "'))");

        assertThat(capture.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(lab.log(g1, capture)).contains("vlan 10").contains("10.20.0.1.67 > 255.255.255.255.68");
        PuntedDhcp request = recorder.from(dpid, 1).get(0);
        assertThat(request.frame().tagged()).isTrue();
        assertThat(request.vlan()).isEqualTo(10);
    }

    @Test
    @Order(5)
    void ourPacketOutsGiveUdhcpcItsLease() throws Exception {
        recorder.respondWith(p -> answer(p, "10.20.0.51"));
        Process client = lab.start(g2, "udhcpc", "-s", lab.udhcpcScript().toString(), "-f", "-q", "-n", "-i", "eth0",
                "-t", "5", "-T", "1");
        try {
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as(lab.log(g2, client)).isZero();
        } finally {
            OvsLab.stop(client);
        }
        assertThat(lab.address(g2)).isEqualTo("10.20.0.51");
        assertThat(recorder.from(dpid, 2)).extracting(p -> DhcpTestMessages.messageType(p.payload()))
                .contains(DhcpTestMessages.DISCOVER, DhcpTestMessages.REQUEST);
        assertThat(controller.counters().packetOutCount()).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(6)
    void aRogueServersRepliesOnAManagedNetworkDieAtItsPort() throws Exception {
        // g2 (VLAN 10) plays DHCP server towards g4 (VLAN 10). g4 captures the first UDP datagram it sees;
        // g2 sends the rogue reply first and an ordinary datagram after it, so the capture shows which got through.
        lab.ns(g2, "ip", "addr", "replace", "10.20.0.2/24", "dev", "eth0");
        Process capture = lab.start(g4, "tcpdump", "-l", "-n", "-i", "eth0", "-c", "1", "udp");
        assertThat(OvsLab.await(WAIT, () -> lab.log(g4, capture).contains("listening"))).isTrue();

        lab.ns(g2, "/usr/bin/python3", "-c", """
                import socket
                for sport, dport in ((67, 68), (9999, 9999)):
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
                    s.bind(('10.20.0.2', sport))
                    s.sendto(b'x' * 300, ('255.255.255.255', dport))
                    s.close()
                """);

        assertThat(capture.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(lab.log(g4, capture)).contains(".9999 > 255.255.255.255.9999").doesNotContain(".67 >");
        FlowStat rogueDrop = stats().stream()
                .filter(s -> s.text().contains("priority=280,udp,in_port=2,")).findFirst().orElseThrow();
        assertThat(rogueDrop.packets()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(7)
    void anUnmanagedNetworkKeepsItsOwnDhcpServer() throws Exception {
        // g3 is on VLAN 20, which we do not serve: a server there must reach its clients unchanged
        String g5 = lab.guest(bridge, "g5", 5, "02:00:00:0a:00:05", "tag=20");
        assertThat(OvsLab.await(WAIT, () -> synced(6))).isTrue();
        lab.ns(g3, "ip", "addr", "replace", "10.30.0.3/24", "dev", "eth0");
        Process capture = lab.start(g5, "tcpdump", "-l", "-n", "-i", "eth0", "-c", "1", "udp");
        assertThat(OvsLab.await(WAIT, () -> lab.log(g5, capture).contains("listening"))).isTrue();

        lab.ns(g3, "/usr/bin/python3", "-c", """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
                s.bind(('10.30.0.3', 67))
                s.sendto(b'x' * 300, ('255.255.255.255', 68))
                """);

        assertThat(capture.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(lab.log(g5, capture)).contains("10.30.0.3.67 > 255.255.255.255.68");
        assertThat(lab.flows(bridge)).noneMatch(f -> f.contains("in_port=3,") || f.contains("in_port=5,"));
    }

    @Test
    @Order(8)
    void portsComingAndGoingAreReconciledLive() {
        lab.guest(bridge, "g6", 6, "02:00:00:0a:00:06", "tag=10");
        assertThat(OvsLab.await(WAIT, () -> flowsOnPort(6) == 2 && hasPort(6))).isTrue();
        assertThat(lab.meters(bridge)).anyMatch(m -> m.startsWith("meter=6 "));

        lab.deletePort(bridge, lab.portName("g6"));
        assertThat(OvsLab.await(WAIT, () -> flowsOnPort(6) == 0 && !hasPort(6))).isTrue();
        assertThat(OvsLab.await(WAIT, () -> lab.meters(bridge).stream().noneMatch(m -> m.startsWith("meter=6 ")))).isTrue();
    }

    @Test
    @Order(9)
    void aTagChangeInOvsdbMovesThePortBetweenNetworks() {
        lab.vsctl("set", "Port", lab.portName("g3"), "tag=10");
        assertThat(OvsLab.await(WAIT, () -> flowsOnPort(3) == 2)).isTrue();

        lab.vsctl("set", "Port", lab.portName("g3"), "tag=20");
        assertThat(OvsLab.await(WAIT, () -> flowsOnPort(3) == 0)).isTrue();
    }

    @Test
    @Order(10)
    void changingTheManagedVlansReconcilesEverySwitch() {
        controller.setManagedVlans(Set.of(0, 10, 20));
        assertThat(OvsLab.await(WAIT, () -> flowsOnPort(3) == 2)).isTrue();

        controller.setManagedVlans(Set.of(0, 10));
        assertThat(OvsLab.await(WAIT, () -> flowsOnPort(3) == 0)).isTrue();
        assertThat(controller.counters().dropCount(PuntDrop.HANDLER_FAILED)).isZero();
    }

    @Test
    @Order(11)
    void malformedDhcpFromAGuestIsDroppedAndCounted() throws Exception {
        UdpFrame discover = new UdpFrame(MacAddress.BROADCAST, MacAddress.parse(MAC1), UdpFrame.UNTAGGED,
                (Inet4Address) InetAddress.getByName("0.0.0.0"), (Inet4Address) InetAddress.getByName("255.255.255.255"),
                68, 67, DhcpTestMessages.discover(MacAddress.parse(MAC1).toBytes(), 0x4321));
        byte[] bad = FrameCodec.encode(discover);
        bad[14 + 20 + 4] = (byte) 0xff; // UDP length far beyond the datagram
        long before = controller.counters().dropCount(PuntDrop.MALFORMED_BAD_UDP_LENGTH);

        rawSend(g1, bad);

        assertThat(OvsLab.await(WAIT, () -> controller.counters().dropCount(PuntDrop.MALFORMED_BAD_UDP_LENGTH) > before)).isTrue();
        assertThat(recorder.received()).isEmpty();
    }

    @Test
    @Order(12)
    void aFloodFromOnePortIsCutByItsMeterWhileAnotherPortIsStillServed() throws Exception {
        UdpFrame discover = new UdpFrame(MacAddress.BROADCAST, MacAddress.parse(MAC1), UdpFrame.UNTAGGED,
                (Inet4Address) InetAddress.getByName("0.0.0.0"), (Inet4Address) InetAddress.getByName("255.255.255.255"),
                68, 67, DhcpTestMessages.discover(MacAddress.parse(MAC1).toBytes(), 0x7777));
        java.nio.file.Path stop = lab.dir().resolve("stop-flood");
        long dropsBefore = meterDrops(1);
        long started = System.nanoTime();
        // as fast as one core allows, until told to stop (at most 20 s, so it cannot outlive a failed test)
        Process flood = lab.start(g1, "/usr/bin/python3", "-c", "import socket, os, time\n"
                + "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('eth0', 0))\n"
                + "f = bytes.fromhex('" + java.util.HexFormat.of().formatHex(FrameCodec.encode(discover)) + "')\n"
                + "end = time.time() + 20; n = 0\n"
                + "while not os.path.exists('" + stop + "') and time.time() < end:\n"
                + "    for _ in range(200): s.send(f)\n"
                + "    n += 200\n"
                + "print('sent', n)\n");
        Process client = lab.start(g2, "udhcpc", "-s", lab.udhcpcScript().toString(), "-f", "-n", "-i", "eth0", "-t", "5", "-T", "1");
        boolean floodRunning;
        try {
            assertThat(OvsLab.await(WAIT, () -> meterDrops(1) > dropsBefore + 1000)).as("meter 1 dropping").isTrue();
            assertThat(OvsLab.await(WAIT, () -> !recorder.from(dpid, 2).isEmpty())).as("port 2 served").isTrue();
            floodRunning = flood.isAlive();
        } finally {
            java.nio.file.Files.writeString(stop, "");
            assertThat(flood.waitFor(25, TimeUnit.SECONDS)).isTrue();
            OvsLab.stop(client);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long sent = Long.parseLong(lab.log(g1, flood).replaceAll("(?s).*sent (\\d+).*", "$1"));
        long punted = recorder.from(dpid, 1).size();

        System.out.printf("flood from port 1: %d frames sent in %.1f s, %d punted, %d dropped by meter 1%n",
                sent, seconds, punted, meterDrops(1) - dropsBefore);
        assertThat(floodRunning).as("port 2 was served during the flood").isTrue();
        // 20 packets/s plus a burst of 5 may pass; allow half as much again for timing at both ends
        assertThat(punted).as("punted of %d sent in %.1f s", sent, seconds).isLessThanOrEqualTo((long) (5 + 20 * seconds * 1.5) + 10);
        // not every frame sent reaches OVS (the veth's socket buffer overflows first), so compare with what was punted
        assertThat(meterDrops(1) - dropsBefore).as("dropped by the meter").isGreaterThan(10 * punted);
    }

    private long meterDrops(int meter) {
        String stats = lab.ofctl("meter-stats", bridge, "meter=" + meter);
        return stats.lines().filter(l -> l.trim().startsWith("0: packet_count:"))
                .mapToLong(l -> Long.parseLong(l.trim().replaceAll("0: packet_count:(\\d+).*", "$1"))).sum();
    }

    private void rawSend(String ns, byte[] frame) {
        lab.ns(ns, "/usr/bin/python3", "-c", "import socket; s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); "
                + "s.bind(('eth0', 0)); s.send(bytes.fromhex('" + java.util.HexFormat.of().formatHex(frame) + "'))");
    }

    private void answer(PuntedDhcp request, String address) {
        int type = DhcpTestMessages.messageType(request.payload());
        int replyType = type == DhcpTestMessages.DISCOVER ? DhcpTestMessages.OFFER
                : type == DhcpTestMessages.REQUEST ? DhcpTestMessages.ACK : -1;
        if (replyType < 0) {
            return;
        }
        try {
            Inet4Address server = (Inet4Address) InetAddress.getByName("10.20.0.1");
            byte[] payload = DhcpTestMessages.reply(request.payload(), replyType,
                    (Inet4Address) InetAddress.getByName(address), server);
            UdpFrame reply = new UdpFrame(request.srcMac(), SERVER_MAC,
                    request.frame().tagged() ? request.frame().vlan() : UdpFrame.UNTAGGED,
                    server, (Inet4Address) InetAddress.getByName("255.255.255.255"), 67, 68, payload);
            controller.sendPacketOut(request.datapathId(), request.inPort(), reply);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean synced(int guestPorts) {
        return controller.switches().stream().anyMatch(s -> s.dpid() == dpid && s.flowState() == FlowState.SYNCED
                && s.ports().stream().filter(p -> p.ofport() < 0xff00).count() == guestPorts);
    }

    private boolean hasPort(int ofport) {
        Optional<SwitchView> view = controller.switches().stream().filter(s -> s.dpid() == dpid).findFirst();
        return view.isPresent() && view.get().ports().stream().anyMatch(p -> p.ofport() == ofport);
    }

    private long flowsOnPort(int ofport) {
        return lab.flows(bridge).stream().filter(f -> f.contains(",in_port=" + ofport + ",")).count();
    }

    private List<FlowStat> stats() {
        return controller.flowStats(dpid).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static String sorted(String text) {
        return String.join("\n", Arrays.stream(text.split("\n")).map(String::trim).sorted().toList());
    }
}
