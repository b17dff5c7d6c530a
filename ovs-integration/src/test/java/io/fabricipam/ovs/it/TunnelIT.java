package io.fabricipam.ovs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.ovs.OpenFlowController;
import io.fabricipam.ovs.OpenFlowSettings;
import io.fabricipam.ovs.frame.FrameCodec;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.frame.UdpFrame;
import io.fabricipam.ovs.ovsdb.VxlanPort;
import io.fabricipam.ovs.pipeline.TunnelRouting;
import io.fabricipam.ovs.punt.PuntedDhcp;
import io.fabricipam.ovs.switches.FlowStat;
import io.fabricipam.ovs.switches.FlowState;
import io.fabricipam.ovs.tunnel.TunnelKey;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
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
 * Two hosts joined by VXLAN on one machine (private OVS per host namespace, see {@link TunnelLab}), one
 * of our controllers per host: host 1 leads, host 2 follows. A guest on host 2 asks for DHCP; its request
 * crosses the tunnel with our flows (installed by our OpenFlow code, so set_field tun_dst is OpenFlow 1.3
 * from openflowj), arrives at host 1's controller with the origin host's underlay address and the key,
 * and the answer goes back through the tunnel to that one guest port; the other guest on host 2, on the
 * same network, sees nothing of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TunnelIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String MAC21 = "02:00:00:99:02:01";
    private static final String MAC22 = "02:00:00:99:02:02";
    private static final String MAC23 = "02:00:00:99:02:03";
    private static final MacAddress SERVER_MAC = MacAddress.parse("02:00:00:99:00:fe");

    private TunnelLab lab;
    private TunnelLab.Host h1;
    private TunnelLab.Host h2;
    private String g21;
    private String g22;
    private String g23;
    private VxlanPort.Ensured vx1;
    private VxlanPort.Ensured vx2;
    private OpenFlowController leader;
    private OpenFlowController follower;
    private final PuntedRecorder recorder = new PuntedRecorder();

    @BeforeAll
    void setUp() throws Exception {
        lab = new TunnelLab();
        h1 = lab.host(1);
        h2 = lab.host(2);
        lab.underlay(h1, h2);
        g21 = lab.guest(h2, 1, 1, MAC21);
        g22 = lab.guest(h2, 2, 2, MAC22);
        g23 = lab.guest(h2, 3, 3, MAC23, "tag=10");
        vx1 = new VxlanPort(VxlanPort.process(h1.db(), Duration.ofSeconds(10)), VxlanPort.Settings.DEFAULT).ensure(h1.bridge());
        vx2 = new VxlanPort(VxlanPort.process(h2.db(), Duration.ofSeconds(10)), VxlanPort.Settings.DEFAULT).ensure(h2.bridge());

        leader = controller(h1);
        leader.setTunnelRouting(TunnelRouting.leading(vx1.name()));
        leader.setPuntHandler(recorder);
        leader.start();
        follower = controller(h2);
        follower.setTunnelRouting(TunnelRouting.following(vx2.name(), ip(h1.underlayIp())));
        follower.start();
        lab.connect(h1, leader.boundPort());
        lab.connect(h2, follower.boundPort());
        lab.warmUpNeighbours();
        assertThat(OvsLab.await(WAIT, () -> synced(leader) && synced(follower))).as("both bridges connected and reconciled").isTrue();
    }

    private OpenFlowController controller(TunnelLab.Host host) {
        OpenFlowController c = new OpenFlowController(OpenFlowSettings.defaults().withListener(host.controllerIp(), 0)
                .withOvsdbSocket(host.db()).withMeters(true, 100, 50), Clock.systemUTC());
        c.setManagedVlans(Set.of(0, 10));
        return c;
    }

    @AfterAll
    void tearDown() {
        for (OpenFlowController c : new OpenFlowController[] {leader, follower}) {
            if (c != null) {
                c.close();
            }
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
    void theVxlanPortsAreFlowBasedAndReusedOnASecondCall() throws Exception {
        assertThat(vx1.created()).isTrue();
        assertThat(lab.vsctl(h2, "get", "Interface", vx2.name(), "options").trim()).isEqualTo("{key=flow, remote_ip=flow}");
        assertThat(new VxlanPort(VxlanPort.process(h2.db(), Duration.ofSeconds(10)), VxlanPort.Settings.DEFAULT).ensure(h2.bridge()))
                .isEqualTo(new VxlanPort.Ensured(vx2.name(), vx2.ofport(), false));

        // an operator's fixed-remote port of the name we are told to use is refused, and left as it was
        lab.vsctl(h1, "add-port", h1.bridge(), "tn-vxfixed", "--", "set", "Interface", "tn-vxfixed", "type=vxlan",
                "options:remote_ip=10.99.0.2");
        try {
            assertThatThrownBy(() -> new VxlanPort(VxlanPort.process(h1.db(), Duration.ofSeconds(10)),
                    new VxlanPort.Settings("tn-vxfixed", VxlanPort.DEFAULT_UDP_PORT)).ensure(h1.bridge()))
                    .isInstanceOf(VxlanPort.RefusedException.class).hasMessageContaining("fixed remote_ip=10.99.0.2");
            assertThat(lab.vsctl(h1, "get", "Interface", "tn-vxfixed", "options").trim()).isEqualTo("{remote_ip=\"10.99.0.2\"}");
        } finally {
            lab.vsctl(h1, "del-port", h1.bridge(), "tn-vxfixed");
        }
    }

    @Test
    @Order(2)
    void theBridgesHoldTheTunnelFlowsExactlyAsOvsPrintsThem() {
        // set_field:...->tun_dst here was sent as OpenFlow 1.3 by openflowj (NXM field in a set-field action).
        // Ports 1 and 2 have no access tag, so OVS treats them as trunks: they are on VLAN 10 too (key 0xa00P);
        // port 3 is an access port of VLAN 10: its frames are untagged and only the key says VLAN 10.
        String followerFlows = sorted("""
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL
                cookie=0xfab1dc0000000006, priority=300,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:1,set_field:10.99.0.1->tun_dst,set_field:0x1->tun_id,output:VX
                cookie=0xfab1dc0000000006, priority=300,udp,in_port=1,dl_vlan=10,tp_src=68,tp_dst=67 actions=meter:1,set_field:10.99.0.1->tun_dst,set_field:0xa001->tun_id,output:VX
                cookie=0xfab1dc0000000006, priority=300,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:2,set_field:10.99.0.1->tun_dst,set_field:0x2->tun_id,output:VX
                cookie=0xfab1dc0000000006, priority=300,udp,in_port=2,dl_vlan=10,tp_src=68,tp_dst=67 actions=meter:2,set_field:10.99.0.1->tun_dst,set_field:0xa002->tun_id,output:VX
                cookie=0xfab1dc0000000006, priority=300,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:3,set_field:10.99.0.1->tun_dst,set_field:0xa003->tun_id,output:VX
                cookie=0xfab1dc0000000008, priority=300,udp,tun_id=0x1,tun_src=10.99.0.1,in_port=VX,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=output:1
                cookie=0xfab1dc0000000008, priority=300,udp,tun_id=0xa001,tun_src=10.99.0.1,in_port=VX,dl_vlan=10,tp_src=67,tp_dst=68 actions=output:1
                cookie=0xfab1dc0000000008, priority=300,udp,tun_id=0x2,tun_src=10.99.0.1,in_port=VX,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=output:2
                cookie=0xfab1dc0000000008, priority=300,udp,tun_id=0xa002,tun_src=10.99.0.1,in_port=VX,dl_vlan=10,tp_src=67,tp_dst=68 actions=output:2
                cookie=0xfab1dc0000000008, priority=300,udp,tun_id=0xa003,tun_src=10.99.0.1,in_port=VX,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=output:3
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=1,dl_vlan=10,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=2,dl_vlan=10,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000004, priority=280,udp,in_port=3,vlan_tci=0x0000/0x1fff,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000009, priority=270,udp,in_port=VX,tp_src=67,tp_dst=68 actions=drop
                cookie=0xfab1dc0000000009, priority=270,udp,in_port=VX,tp_src=68,tp_dst=67 actions=drop
                """.replace("VX", String.valueOf(vx2.ofport())));
        String leaderFlows = sorted("""
                cookie=0xfab1dc0000000001, priority=0 actions=NORMAL
                cookie=0xfab1dc0000000007, priority=300,udp,in_port=VX,tp_src=68,tp_dst=67 actions=CONTROLLER:65535
                cookie=0xfab1dc0000000009, priority=270,udp,in_port=VX,tp_src=67,tp_dst=68 actions=drop
                """.replace("VX", String.valueOf(vx1.ofport())));
        // the controllers learn the ports from OVSDB shortly after connecting: allow them to catch up
        OvsLab.await(WAIT, () -> OvsLab.lines(lab.flows(h2)).equals(followerFlows) && OvsLab.lines(lab.flows(h1)).equals(leaderFlows));

        assertThat(OvsLab.lines(lab.flows(h2))).isEqualTo(followerFlows);
        assertThat(OvsLab.lines(lab.flows(h1))).isEqualTo(leaderFlows);
        // what OVS sends back in flow stats (set-field with the NXM header) reads back as the flows we intended
        List<FlowStat> stats = follower.flowStats(dpid(h2)).orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(stats).hasSize(18).allMatch(FlowStat::recognised);
        assertThat(stats).extracting(FlowStat::text).containsExactlyInAnyOrderElementsOf(Arrays.asList(followerFlows.split("\n")));
    }

    @Test
    @Order(3)
    void aBroadcastFlagDiscoverReachesTheLeaderWithItsOriginAndTheOfferOnlyTheGuestThatAsked() throws Exception {
        recorder.respondWith(p -> answer(p, "10.20.0.51"));
        Process asker = capture(g21, "udp src port 67");
        Process other = capture(g22, "udp");

        long sent = System.nanoTime();
        rawSend(g21, discover(MAC21, 0x2101));

        assertThat(asker.waitFor(15, TimeUnit.SECONDS)).as("the asking guest got the offer").isTrue();
        double millis = (System.nanoTime() - sent) / 1e6;
        assertThat(lab.log(g21, asker)).contains("10.20.0.1.67 > 255.255.255.255.68").contains("Reply");
        // a marker broadcast from the asker, switched NORMALly: the other guest's first UDP must be this, not the offer
        rawSend(g21, marker(MAC21));
        assertThat(other.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(lab.log(g22, other)).contains(".9999 > 255.255.255.255.9999").doesNotContain(".67 >");

        PuntedDhcp request = recorder.received().get(0);
        assertThat(request.tunnelled()).isTrue();
        assertThat(request.tunnel().underlay().getHostAddress()).isEqualTo(h2.underlayIp());
        assertThat(request.tunnel().key()).isEqualTo(new TunnelKey(0, 1));
        assertThat(request.vlan()).isZero();
        assertThat(request.srcMac()).isEqualTo(MacAddress.parse(MAC21));
        assertThat(request.inPort()).isEqualTo(vx1.ofport());
        System.out.printf("DISCOVER from host 2 to OFFER back at the guest through VXLAN: %.1f ms%n", millis);
    }

    @Test
    @Order(4)
    void udhcpcOnTheFollowerGetsItsLeaseFromTheLeaderAndTheOtherGuestSeesNone() throws Exception {
        recorder.respondWith(p -> answer(p, "10.20.0.52"));
        Process other = capture(g21, "udp src port 67");
        long started = System.nanoTime();
        Process client = lab.start(g22, "udhcpc", "-s", lab.udhcpcScript().toString(), "-f", "-q", "-n", "-i", "eth0",
                "-t", "5", "-T", "1");
        try {
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as(lab.log(g22, client)).isZero();
        } finally {
            OvsLab.stop(client);
        }
        double millis = (System.nanoTime() - started) / 1e6;
        assertThat(lab.address(g22)).isEqualTo("10.20.0.52");
        assertThat(recorder.received()).extracting(p -> DhcpTestMessages.messageType(p.payload()))
                .contains(DhcpTestMessages.DISCOVER, DhcpTestMessages.REQUEST);
        assertThat(recorder.received()).allMatch(p -> p.tunnel().key().equals(new TunnelKey(0, 2)));
        // wait until the last reply has certainly crossed, then see what the other guest captured
        Thread.sleep(300);
        OvsLab.stop(other);
        assertThat(lab.log(g21, other)).contains("0 packets captured");
        // OVS pushes datapath counters to its flows every ~0.5 s: wait for the ACK to show
        assertThat(OvsLab.await(WAIT, () -> deliveredTo(2) >= 2)).as("offer and ack delivered to port 2").isTrue();
        assertThat(deliveredTo(1)).isEqualTo(1);   // the offer of the previous test, nothing since
        System.out.printf("udhcpc lease through VXLAN from the leader: %.0f ms (process start to exit)%n", millis);
    }

    @Test
    @Order(5)
    void aGuestOnAnAccessVlanIsServedOnItsNetworkAndAnsweredUntagged() throws Exception {
        recorder.respondWith(p -> answer(p, "10.30.0.53"));
        Process asker = capture(g23, "udp src port 67");

        rawSend(g23, discover(MAC23, 0x2301));

        assertThat(asker.waitFor(15, TimeUnit.SECONDS)).as("the access-port guest got the offer").isTrue();
        assertThat(lab.log(g23, asker)).contains("10.20.0.1.67 > 255.255.255.255.68").doesNotContain("vlan");
        PuntedDhcp request = recorder.received().get(0);
        assertThat(request.vlan()).as("the scope's network comes from the key").isEqualTo(10);
        assertThat(request.frame().tagged()).isFalse();
        assertThat(request.tunnel().key()).isEqualTo(new TunnelKey(10, 3));
    }

    @Test
    @Order(6)
    void aReplyFromAHostThatDoesNotLeadIsDroppedNotFlooded() throws Exception {
        // host 1 stops leading (the follower's flows now expect replies from 10.99.0.3): its late replies must die
        follower.setTunnelRouting(TunnelRouting.following(vx2.name(), ip("10.99.0.3")));
        assertThat(OvsLab.await(WAIT, () -> lab.flows(h2).stream().anyMatch(f -> f.contains("tun_src=10.99.0.3")))).isTrue();
        Process asker = capture(g21, "udp src port 67");
        long strayBefore = strayDrops();

        UdpFrame offer = new UdpFrame(MacAddress.BROADCAST, SERVER_MAC, UdpFrame.UNTAGGED, ip("10.20.0.1"), ip("255.255.255.255"),
                67, 68, DhcpTestMessages.reply(DhcpTestMessages.discover(MacAddress.parse(MAC21).toBytes(), 0x2102),
                DhcpTestMessages.OFFER, ip("10.20.0.53"), ip("10.20.0.1")));
        PuntedDhcp old = new PuntedDhcp(dpid(h1), vx1.ofport(), vx1.name(), 0, offer, 0,
                new io.fabricipam.ovs.tunnel.TunnelOrigin(ip(h2.underlayIp()), new TunnelKey(0, 1).value()));
        assertThat(leader.sendReply(old, offer)).isTrue();

        assertThat(OvsLab.await(WAIT, () -> strayDrops() > strayBefore)).as("dropped at host 2's tunnel port").isTrue();
        OvsLab.stop(asker);
        assertThat(lab.log(g21, asker)).contains("0 packets captured");
        follower.setTunnelRouting(TunnelRouting.following(vx2.name(), ip(h1.underlayIp())));
    }

    private void answer(PuntedDhcp request, String address) {
        int type = DhcpTestMessages.messageType(request.payload());
        int replyType = type == DhcpTestMessages.DISCOVER ? DhcpTestMessages.OFFER
                : type == DhcpTestMessages.REQUEST ? DhcpTestMessages.ACK : -1;
        if (replyType < 0) {
            return;
        }
        Inet4Address server = ip("10.20.0.1");
        byte[] payload = DhcpTestMessages.reply(request.payload(), replyType, ip(address), server);
        UdpFrame reply = new UdpFrame(MacAddress.BROADCAST, SERVER_MAC, UdpFrame.UNTAGGED, server, ip("255.255.255.255"),
                67, 68, payload);
        leader.sendReply(request, reply);
    }

    private Process capture(String ns, String filter) {
        Process p = lab.start(ns, "tcpdump", "--immediate-mode", "-l", "-n", "-e", "-v", "-i", "eth0", "-c", "1", filter);
        assertThat(OvsLab.await(WAIT, () -> lab.log(ns, p).contains("listening"))).as("tcpdump in " + ns).isTrue();
        return p;
    }

    private void rawSend(String ns, byte[] frame) {
        lab.guestExec(ns, "/usr/bin/python3", "-c", "import socket; s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); "
                + "s.bind(('eth0', 0)); s.send(bytes.fromhex('" + HexFormat.of().formatHex(frame) + "'))");
    }

    private static byte[] discover(String mac, int xid) {
        return FrameCodec.encode(new UdpFrame(MacAddress.BROADCAST, MacAddress.parse(mac), UdpFrame.UNTAGGED, ip("0.0.0.0"),
                ip("255.255.255.255"), 68, 67, DhcpTestMessages.discover(MacAddress.parse(mac).toBytes(), xid)));
    }

    private static byte[] marker(String mac) {
        return FrameCodec.encode(new UdpFrame(MacAddress.BROADCAST, MacAddress.parse(mac), UdpFrame.UNTAGGED, ip("0.0.0.0"),
                ip("255.255.255.255"), 9999, 9999, new byte[64]));
    }

    /** Packets the follower's reply flow for guest port {@code ofport} has delivered. */
    private long deliveredTo(int ofport) {
        return lab.ofctl(h2, "dump-flows", h2.bridge(), "udp,in_port=" + vx2.ofport() + ",tun_id=" + ofport + ",tp_src=67,tp_dst=68")
                .lines().filter(l -> l.contains("actions=output:" + ofport))
                .mapToLong(l -> Long.parseLong(l.replaceAll(".*n_packets=(\\d+),.*", "$1"))).sum();
    }

    private long strayDrops() {
        return lab.ofctl(h2, "dump-flows", h2.bridge(), "udp,in_port=" + vx2.ofport() + ",tp_src=67,tp_dst=68").lines()
                .filter(l -> l.contains("priority=270")).mapToLong(l -> Long.parseLong(l.replaceAll(".*n_packets=(\\d+),.*", "$1")))
                .sum();
    }

    private long dpid(TunnelLab.Host host) {
        return io.fabricipam.ovs.channel.DatapathIds.parse(lab.vsctl(host, "get", "bridge", host.bridge(), "datapath_id")
                .trim().replace("\"", ""));
    }

    private boolean synced(OpenFlowController c) {
        return c.switches().stream().anyMatch(s -> s.flowState() == FlowState.SYNCED);
    }

    private static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sorted(String text) {
        return String.join("\n", Arrays.stream(text.split("\n")).map(String::trim).filter(l -> !l.isEmpty()).sorted().toList());
    }

}
