package io.fabricipam.ovs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.ovs.OpenFlowController;
import io.fabricipam.ovs.OpenFlowSettings;
import io.fabricipam.ovs.channel.DatapathIds;
import io.fabricipam.ovs.switches.FlowState;
import io.fabricipam.ovs.switches.SwitchListener;
import io.fabricipam.ovs.switches.SwitchView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two bridges on one controller, and everything that happens around connections: other owners' flows
 * left alone, stale flows of ours removed, flows kept across a controller restart (fail_mode=secure),
 * flows restored after they vanished from the switch.
 *
 * <p>An OVS restart is simulated, not done: the daemon is shared with other engineers on this machine.
 * Its effect on us is that the switch comes back without our flows and meters and reconnects, which is
 * what deleting them with ovs-ofctl while the bridge is disconnected, and deleting and re-creating a
 * bridge, reproduce.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconnectIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private OvsLab lab;
    private OpenFlowController controller;
    private final PuntedRecorder recorder = new PuntedRecorder();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private int port;
    private String b1;
    private String b2;
    private String b1g1;
    private String b2g1;

    @BeforeAll
    void setUp() throws Exception {
        lab = new OvsLab("r");
        b1 = lab.bridge("a");
        b2 = lab.bridge("b");
        b1g1 = lab.guest(b1, "a1", 1, "02:00:00:0b:01:01");
        lab.guest(b1, "a2", 2, "02:00:00:0b:01:02", "tag=10");
        b2g1 = lab.guest(b2, "b1", 1, "02:00:00:0b:02:01", "tag=10");
        controller = startController(0);
        port = controller.boundPort();
        lab.connect(b1, port);
        lab.connect(b2, port);
        assertThat(OvsLab.await(WAIT, () -> synced(b1) && synced(b2))).isTrue();
    }

    private OpenFlowController startController(int listenPort) throws Exception {
        OpenFlowController c = new OpenFlowController(OpenFlowSettings.defaults().withListener("127.0.0.1", listenPort),
                Clock.systemUTC());
        c.setManagedVlans(Set.of(0, 10));
        c.setPuntHandler(recorder);
        c.addSwitchListener(new SwitchListener() {
            @Override
            public void switchConnected(long dpid, String remoteAddress) {
                events.add("connected " + DatapathIds.format(dpid));
            }

            @Override
            public void switchDisconnected(long dpid) {
                events.add("disconnected " + DatapathIds.format(dpid));
            }
        });
        c.start();
        return c;
    }

    @AfterEach
    void clear() {
        recorder.clear();
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

    @Test
    @Order(1)
    void twoBridgesAreServedIndependently() {
        // a1 has no tag, so OVS makes it a trunk: it is on the untagged network and, tagged, on VLAN 10
        assertThat(ours(b1)).hasSize(1 + 2 + 2 + 2);
        assertThat(ours(b2)).hasSize(1 + 2);
        assertThat(ours(b2)).noneMatch(f -> f.contains("in_port=2"));
        Process c1 = lab.start(b1g1, "udhcpc", "-s", lab.udhcpcScript().toString(), "-f", "-n", "-i", "eth0", "-t", "3", "-T", "1");
        Process c2 = lab.start(b2g1, "udhcpc", "-s", lab.udhcpcScript().toString(), "-f", "-n", "-i", "eth0", "-t", "3", "-T", "1");
        try {
            assertThat(OvsLab.await(WAIT, () -> !recorder.from(dpid(b1), 1).isEmpty()
                    && !recorder.from(dpid(b2), 1).isEmpty())).isTrue();
        } finally {
            OvsLab.stop(c1);
            OvsLab.stop(c2);
        }
        assertThat(recorder.from(dpid(b1), 1).get(0).vlan()).isZero();
        assertThat(recorder.from(dpid(b2), 1).get(0).vlan()).isEqualTo(10);
        assertThat(controller.switches()).extracting(SwitchView::dpid).contains(dpid(b1), dpid(b2));
    }

    @Test
    @Order(2)
    void onReconnectStaleFlowsOfOursGoAndOtherOwnersFlowsStay() throws Exception {
        List<String> intended = ours(b1);
        // A reconnect that keeps the bridge's controller configured: our process goes away and comes back
        // on the same port. (Removing and setting the controller instead makes OVS flush every flow.)
        controller.close();
        assertThat(OvsLab.await(WAIT, () -> !lab.ovsSaysConnected(b1))).isTrue();
        // another owner's flows: one with an unrelated cookie, one whose cookie only differs from ours outside our mask
        lab.ofctl("add-flow", b1, "cookie=0x1234,priority=10,icmp6,actions=NORMAL");
        lab.ofctl("add-flow", b1, "cookie=0xfab1dd0000000002,priority=11,udp,tp_dst=9,actions=NORMAL");
        // stale flows of ours: a port that no longer exists, and a shape we never install
        lab.ofctl("add-flow", b1, "cookie=0xfab1dc0000000002,priority=300,udp,in_port=77,tp_src=68,tp_dst=67,actions=CONTROLLER:65535");
        lab.ofctl("add-flow", b1, "cookie=0xfab1dc0000000009,priority=5,arp,actions=drop");

        controller = startController(port);

        assertThat(OvsLab.await(WAIT, () -> synced(b1) && ours(b1).equals(intended))).as(String.join("\n", lab.flows(b1))).isTrue();
        assertThat(lab.flows(b1)).contains(
                "cookie=0x1234, priority=10,icmp6 actions=NORMAL",
                "cookie=0xfab1dd0000000002, priority=11,udp,tp_dst=9 actions=NORMAL");
        assertThat(events).contains("disconnected " + DatapathIds.format(dpid(b1)));
        assertThat(OvsLab.await(WAIT, () -> synced(b2))).isTrue();
    }

    @Test
    @Order(3)
    void flowsThatVanishedWhileDisconnectedComeBack() {
        // what an OVS restart leaves: the bridge without our flows and meters, reconnecting. Removing the
        // controller flushes the bridge by itself (OVS does that when a bridge gains or loses its
        // controllers); the explicit deletes make the point without relying on that.
        List<String> intended = ours(b1);
        List<String> meters = lab.meters(b1);
        assertThat(meters).hasSize(2);
        lab.disconnect(b1);
        lab.ofctl("del-flows", b1, "cookie=0xfab1dc0000000000/0xffffff0000000000");
        lab.ofctl("del-meters", b1);
        assertThat(ours(b1)).isEmpty();

        lab.connect(b1, port);

        assertThat(OvsLab.await(WAIT, () -> ours(b1).equals(intended) && lab.meters(b1).equals(meters))).isTrue();
    }

    @Test
    @Order(4)
    void aBridgeDeletedAndAddedAgainGetsItsFlowsBack() {
        List<String> intended = ours(b2);
        long oldDpid = dpid(b2);
        lab.vsctl("del-br", b2);
        lab.vsctl("add-br", b2, "--", "set", "bridge", b2, "datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow13",
                "other-config:datapath-id=" + DatapathIds.format(oldDpid));
        lab.addPort(b2, lab.portName("b1"), 1, "tag=10");
        assertThat(ours(b2)).isEmpty();

        lab.connect(b2, port);

        assertThat(OvsLab.await(WAIT, () -> ours(b2).equals(intended) && synced(b2))).isTrue();
    }

    @Test
    @Order(5)
    void flowsSurviveAControllerRestartWithTheirCounters() throws Exception {
        // traffic first, so the punt flow has a count that a delete and re-add would reset
        Process client = lab.start(b1g1, "udhcpc", "-s", lab.udhcpcScript().toString(), "-f", "-n", "-i", "eth0", "-t", "2", "-T", "1");
        assertThat(OvsLab.await(WAIT, () -> !recorder.from(dpid(b1), 1).isEmpty())).isTrue();
        OvsLab.stop(client);
        List<String> intended = ours(b1);
        long punted = puntPackets(b1, 1);
        assertThat(punted).isPositive();

        controller.close();
        // wait until OVS itself has noticed (is_connected lags), then look: fail_mode=secure keeps our flows
        assertThat(OvsLab.await(WAIT, () -> !lab.ovsSaysConnected(b1))).isTrue();
        assertThat(ours(b1)).isEqualTo(intended);

        // same port; the bridges find us again on their own (their Controller rows stay as they were)
        controller = startController(port);
        assertThat(OvsLab.await(WAIT, () -> synced(b1) && synced(b2))).isTrue();
        assertThat(ours(b1)).isEqualTo(intended);
        assertThat(puntPackets(b1, 1)).as("counters kept: the flow was not re-added").isGreaterThanOrEqualTo(punted);
    }

    private long puntPackets(String bridge, int inPort) {
        return lab.ofctl("dump-flows", bridge, "cookie=0xfab1dc0000000002/-1").lines()
                .filter(l -> l.contains("in_port=" + inPort + ",") && l.contains("vlan_tci=0x0000"))
                .mapToLong(l -> Long.parseLong(l.replaceAll(".*n_packets=(\\d+),.*", "$1"))).sum();
    }

    private List<String> ours(String bridge) {
        return lab.flows(bridge).stream().filter(f -> f.startsWith("cookie=0xfab1dc")).toList();
    }

    private long dpid(String bridge) {
        return DatapathIds.parse(lab.vsctl("get", "bridge", bridge, "datapath_id").trim().replace("\"", ""));
    }

    private Optional<Instant> connectedSince(String bridge) {
        long id = dpid(bridge);
        return controller.switches().stream().filter(s -> s.dpid() == id).map(SwitchView::connectedSince).findFirst();
    }

    private boolean synced(String bridge) {
        long id = dpid(bridge);
        return controller.switches().stream().anyMatch(s -> s.dpid() == id && s.flowState() == FlowState.SYNCED);
    }
}
