package io.fabricipam.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.ovs.flow.FlowText;
import io.fabricipam.ovs.frame.ArpCodec;
import io.fabricipam.ovs.frame.ArpFrame;
import io.fabricipam.ovs.frame.FrameCodec;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.frame.UdpFrame;
import io.fabricipam.ovs.pipeline.BridgePort;
import io.fabricipam.ovs.pipeline.PuntFlows;
import io.fabricipam.ovs.pipeline.PuntPolicy;
import io.fabricipam.ovs.pipeline.ServerAddresses;
import io.fabricipam.ovs.port.PortBinding;
import io.fabricipam.ovs.port.StaticPortBindings;
import io.fabricipam.ovs.punt.PuntDrop;
import io.fabricipam.ovs.punt.PuntedDhcp;
import io.fabricipam.ovs.switches.FlowStat;
import io.fabricipam.ovs.switches.FlowState;
import io.fabricipam.ovs.switches.SwitchListener;
import io.fabricipam.ovs.switches.SwitchView;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/** The whole controller over real TCP against {@link FakeSwitch}es: fast, no OVS needed. */
class OpenFlowControllerTest {

    private static final long DPID = 0x42;
    private static final MacAddress VM1 = MacAddress.parse("02:00:00:00:00:01");

    private final StaticPortBindings bindings = new StaticPortBindings(Map.of(
            "vm1", PortBinding.guest("vm1", 0),
            "vm2", PortBinding.guest("vm2", 10)));
    private final List<PuntedDhcp> punted = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private OpenFlowController controller;

    @BeforeEach
    void start() throws Exception {
        controller = new OpenFlowController(OpenFlowSettings.defaults().withListener("127.0.0.1", 0), Clock.systemUTC(), bindings);
        controller.setManagedVlans(Set.of(0));
        controller.setPuntHandler(punted::add);
        controller.addSwitchListener(new SwitchListener() {
            @Override
            public void switchConnected(long dpid, String remoteAddress) {
                events.add("connected " + dpid);
            }

            @Override
            public void switchDisconnected(long dpid) {
                events.add("disconnected " + dpid);
            }
        });
        controller.start();
    }

    @AfterEach
    void stop() {
        controller.close();
    }

    @Test
    void lifecycleGoesLatentStartedClosedAndNeverBack() throws Exception {
        OpenFlowController fresh = new OpenFlowController(OpenFlowSettings.defaults().withListener("127.0.0.1", 0),
                Clock.systemUTC(), new StaticPortBindings(Map.of()));
        assertThat(fresh.state()).isEqualTo(OpenFlowController.State.LATENT);
        assertThat(fresh.boundPort()).isEqualTo(-1);
        fresh.start();
        assertThat(fresh.state()).isEqualTo(OpenFlowController.State.STARTED);
        assertThat(fresh.boundPort()).isPositive();
        fresh.close();
        fresh.close();
        assertThat(fresh.state()).isEqualTo(OpenFlowController.State.CLOSED);
        assertThatThrownBy(fresh::start).isInstanceOf(IllegalStateException.class);
        assertThat(fresh.sendPacketOut(DPID, 1, new byte[60])).isFalse();
    }

    @Test
    void installsThePipelineOfItsPortsAndReconcilesPortChanges() throws Exception {
        try (FakeSwitch sw = new FakeSwitch(DPID, List.of(FakeSwitch.port(1, "vm1"), FakeSwitch.port(2, "vm2")))
                .connect(controller.boundPort())) {
            assertThat(await(() -> synced(DPID))).isTrue();
            assertThat(FlowText.render(sw.flows())).isEqualTo(FlowText.render(PuntFlows.build(
                    List.of(BridgePort.guest(1, "vm1", 0)), Set.of(0), PuntPolicy.DEFAULT).flows()));

            sw.send(FakeSwitch.OF13.buildPortStatus().setReason(OFPortReason.ADD).setDesc(FakeSwitch.port(3, "vm3")).build());
            bindings.set(Map.of("vm1", PortBinding.guest("vm1", 0), "vm2", PortBinding.guest("vm2", 10),
                    "vm3", PortBinding.guest("vm3", 0)));
            assertThat(await(() -> sw.flows().stream().filter(f -> f.match().inPort() == 3).count() == 2)).isTrue();

            controller.setManagedVlans(Set.of(0, 10));
            assertThat(await(() -> sw.flows().stream().filter(f -> f.match().inPort() == 2).count() == 2)).isTrue();

            sw.send(FakeSwitch.OF13.buildPortStatus().setReason(OFPortReason.DELETE).setDesc(FakeSwitch.port(1, "vm1")).build());
            assertThat(await(() -> sw.flows().stream().noneMatch(f -> f.match().inPort() == 1))).isTrue();

            List<FlowStat> stats = controller.flowStats(DPID).get(5, TimeUnit.SECONDS);
            assertThat(stats).hasSize(sw.flows().size()).allMatch(FlowStat::recognised).allMatch(s -> s.packets() == 7);
        }
    }

    @Test
    void aSwitchReconnectingReplacesItsOldConnection() throws Exception {
        try (FakeSwitch first = new FakeSwitch(DPID, List.of(FakeSwitch.port(1, "vm1"))).connect(controller.boundPort())) {
            assertThat(await(() -> synced(DPID))).isTrue();
            try (FakeSwitch second = new FakeSwitch(DPID, List.of(FakeSwitch.port(1, "vm1"))).connect(controller.boundPort())) {
                assertThat(await(first::closedByPeer)).as("old connection closed by us").isTrue();
                assertThat(await(() -> controller.switches().size() == 1
                        && controller.switches().get(0).remoteAddress().endsWith(":" + second.localPort())
                        && synced(DPID))).isTrue();
                // the listener hears of the second connection on its I/O thread, possibly after the sync above
                assertThat(await(() -> events.size() >= 2)).isTrue();
                assertThat(events).containsExactly("connected " + DPID, "connected " + DPID);
            }
            assertThat(await(() -> controller.switches().isEmpty())).isTrue();
            assertThat(await(() -> events.contains("disconnected " + DPID))).isTrue();
        }
    }

    @Test
    void packetInsFromGuestsReachTheHandlerAndOthersAreCounted() throws Exception {
        try (FakeSwitch sw = new FakeSwitch(DPID, List.of(FakeSwitch.port(1, "vm1"), FakeSwitch.port(2, "vm2")))
                .connect(controller.boundPort())) {
            assertThat(await(() -> synced(DPID))).isTrue();
            byte[] discover = FrameCodec.encode(new UdpFrame(MacAddress.BROADCAST, VM1, UdpFrame.UNTAGGED,
                    ip("0.0.0.0"), ip("255.255.255.255"), 68, 67, new byte[300]));

            sw.send(packetIn(1, discover));
            sw.send(packetIn(2, discover));     // vm2 is on VLAN 10, not managed
            sw.send(packetIn(9, discover));     // no such port
            sw.send(packetIn(1, java.util.Arrays.copyOf(discover, 30))); // cut inside the IPv4 header

            assertThat(await(() -> punted.size() == 1
                    && controller.counters().dropCount(PuntDrop.UNMANAGED_VLAN) == 1
                    && controller.counters().dropCount(PuntDrop.NOT_A_GUEST_PORT) == 1
                    && controller.counters().dropCount(PuntDrop.MALFORMED_TRUNCATED_IPV4) == 1)).isTrue();
            PuntedDhcp p = punted.get(0);
            assertThat(p.datapathId()).isEqualTo(DPID);
            assertThat(p.inPort()).isEqualTo(1);
            assertThat(p.portName()).isEqualTo("vm1");
            assertThat(p.vlan()).isZero();
            assertThat(p.srcMac()).isEqualTo(VM1);
            assertThat(p.payload()).hasSize(300);
        }
    }

    @Test
    void packetOutGoesToTheNamedSwitchAndPortFromTheController() throws Exception {
        try (FakeSwitch sw = new FakeSwitch(DPID, List.of(FakeSwitch.port(1, "vm1"))).connect(controller.boundPort())) {
            assertThat(await(() -> synced(DPID))).isTrue();
            byte[] frame = FrameCodec.encode(new UdpFrame(VM1, MacAddress.parse("02:00:00:00:00:fe"), UdpFrame.UNTAGGED,
                    ip("10.0.0.1"), ip("10.0.0.50"), 67, 68, new byte[] {1, 2, 3}));

            assertThat(controller.sendPacketOut(DPID, 1, frame)).isTrue();
            assertThat(controller.sendPacketOut(DPID + 1, 1, frame)).isFalse();

            assertThat(await(() -> sw.received.stream().anyMatch(m -> m instanceof OFPacketOut))).isTrue();
            OFPacketOut out = (OFPacketOut) sw.received.stream().filter(m -> m instanceof OFPacketOut).findFirst().orElseThrow();
            assertThat(out.getInPort()).isEqualTo(OFPort.CONTROLLER);
            assertThat(out.getBufferId()).isEqualTo(OFBufferId.NO_BUFFER);
            assertThat(((OFActionOutput) out.getActions().get(0)).getPort()).isEqualTo(OFPort.of(1));
            assertThat(out.getData()).isEqualTo(frame);
            assertThat(controller.counters().packetOutCount()).isEqualTo(1);
            assertThat(controller.counters().packetOutRefusedCount()).isEqualTo(1);
        }
    }

    @Test
    void arpForAServerAddressIsAnsweredOutOfThePortItCameFromAndOtherArpIsCounted() throws Exception {
        MacAddress server = MacAddress.parse("02:fa:b1:dc:00:01");
        controller.setServerAddresses(new ServerAddresses(Map.of(0, Map.of(ip("10.0.0.2"), server))));
        try (FakeSwitch sw = new FakeSwitch(DPID, List.of(FakeSwitch.port(1, "vm1"), FakeSwitch.port(2, "vm2")))
                .connect(controller.boundPort())) {
            assertThat(await(() -> synced(DPID))).isTrue();
            ArpFrame whoHas = new ArpFrame(MacAddress.BROADCAST, VM1, UdpFrame.UNTAGGED, ArpFrame.REQUEST, VM1,
                    ip("10.0.0.50"), new MacAddress(0), ip("10.0.0.2"));
            ArpFrame someoneElse = new ArpFrame(MacAddress.BROADCAST, VM1, UdpFrame.UNTAGGED, ArpFrame.REQUEST, VM1,
                    ip("10.0.0.50"), new MacAddress(0), ip("10.0.0.9"));

            sw.send(packetIn(1, ArpCodec.encode(someoneElse)));
            sw.send(packetIn(2, ArpCodec.encode(whoHas)));   // vm2 is on VLAN 10, where 10.0.0.2 is not ours
            sw.send(packetIn(1, ArpCodec.encode(whoHas)));

            assertThat(await(() -> sw.received.stream().anyMatch(m -> m instanceof OFPacketOut))).isTrue();
            OFPacketOut out = (OFPacketOut) sw.received.stream().filter(m -> m instanceof OFPacketOut).findFirst().orElseThrow();
            assertThat(((OFActionOutput) out.getActions().get(0)).getPort()).isEqualTo(OFPort.of(1));
            ArpFrame reply = ArpCodec.decode(out.getData());
            assertThat(reply.operation()).isEqualTo(ArpFrame.REPLY);
            assertThat(reply.dstMac()).isEqualTo(VM1);
            assertThat(reply.senderMac()).isEqualTo(server);
            assertThat(reply.senderIp()).isEqualTo(ip("10.0.0.2"));
            assertThat(reply.targetIp()).isEqualTo(ip("10.0.0.50"));
            assertThat(controller.counters().arpAnsweredCount()).isEqualTo(1);
            assertThat(controller.counters().dropCount(PuntDrop.NOT_OUR_ARP)).isEqualTo(1);
            assertThat(controller.counters().dropCount(PuntDrop.UNMANAGED_VLAN)).isEqualTo(1);
            assertThat(punted).isEmpty();
            assertThat(sw.received.stream().filter(m -> m instanceof OFPacketOut).count()).isEqualTo(1);
        }
    }

    @Test
    void theReadModelListsConnectedSwitchesWithTheirPorts() throws Exception {
        try (FakeSwitch sw = new FakeSwitch(DPID, List.of(FakeSwitch.port(1, "vm1"), FakeSwitch.port(5, "eth9")))
                .connect(controller.boundPort())) {
            assertThat(await(() -> synced(DPID))).isTrue();
            SwitchView view = controller.switches().get(0);
            assertThat(view.datapathId()).isEqualTo("0000000000000042");
            assertThat(view.ports()).extracting(p -> p.name() + ":" + p.role() + ":" + p.intercepted())
                    .containsExactly("vm1:GUEST:true", "eth9:UNKNOWN:false");
        }
    }

    private org.projectfloodlight.openflow.protocol.OFPacketIn packetIn(int port, byte[] data) {
        return FakeSwitch.OF13.buildPacketIn().setReason(OFPacketInReason.ACTION).setBufferId(OFBufferId.NO_BUFFER)
                .setMatch(FakeSwitch.OF13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(port)).build())
                .setTotalLen(data.length).setData(data).build();
    }

    private boolean synced(long dpid) {
        return controller.switches().stream().anyMatch(s -> s.dpid() == dpid && s.flowState() == FlowState.SYNCED);
    }

    private static boolean await(BooleanSupplier condition) {
        return Polling.await(Duration.ofSeconds(10), Duration.ofMillis(10), condition);
    }

    private static Inet4Address ip(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }
}
