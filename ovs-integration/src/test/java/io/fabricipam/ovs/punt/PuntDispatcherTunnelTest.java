package io.fabricipam.ovs.punt;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.ovs.pipeline.BridgePort;
import io.fabricipam.ovs.pipeline.ServerAddresses;
import io.fabricipam.ovs.pipeline.TunnelRouting;
import io.fabricipam.ovs.port.PortRole;
import io.fabricipam.ovs.tunnel.OvsPacketIns;
import io.fabricipam.ovs.tunnel.TunnelKey;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Other hosts' guest DHCP arriving on the leader's tunnel port, and what is refused there. */
class PuntDispatcherTunnelTest {

    private static final long DPID = 0x1;
    private static final int VXLAN = 10;
    private static final Map<Integer, BridgePort> PORTS = Map.of(
            1, BridgePort.guest(1, "vm-1", 0),
            VXLAN, BridgePort.infrastructure(VXLAN, "vxlan-fabric", PortRole.TUNNEL),
            11, BridgePort.infrastructure(11, "vxlan-other", PortRole.TUNNEL));

    private final PuntCounters counters = new PuntCounters();
    private final AtomicReference<TunnelRouting> routing = new AtomicReference<>(TunnelRouting.leading("vxlan-fabric"));
    private final List<PuntedDhcp> handed = new ArrayList<>();
    private final PuntDispatcher dispatcher = new PuntDispatcher(counters, () -> Set.of(0, 10), () -> ServerAddresses.NONE,
            routing::get, (dpid, port, frame) -> true);

    PuntDispatcherTunnelTest() {
        dispatcher.handler(handed::add);
    }

    @Test
    void theLeaderHandsOverAnotherHostsGuestWithItsOriginAndNetwork() throws Exception {
        dispatch(VXLAN, new TunnelKey(10, 2).value(), "10.99.0.2", -1);

        assertThat(handed).hasSize(1);
        PuntedDhcp request = handed.get(0);
        assertThat(request.tunnelled()).isTrue();
        assertThat(request.tunnel().underlay()).isEqualTo(InetAddress.getByName("10.99.0.2"));
        assertThat(request.tunnel().key()).isEqualTo(new TunnelKey(10, 2));
        assertThat(request.vlan()).isEqualTo(10);
        assertThat(request.inPort()).isEqualTo(VXLAN);
        assertThat(request.portName()).isEqualTo("vxlan-fabric");
        assertThat(counters.handedCount()).isEqualTo(1);
    }

    @Test
    void aLocalGuestIsStillHandedOverWithoutOrigin() throws Exception {
        dispatch(1, 0, null, -1);

        assertThat(handed).singleElement().satisfies(p -> {
            assertThat(p.tunnelled()).isFalse();
            assertThat(p.inPort()).isEqualTo(1);
        });
    }

    @Test
    void refusesTunnelledDhcpItMustNotAnswer() throws Exception {
        dispatch(VXLAN, new TunnelKey(20, 2).value(), "10.99.0.2", -1);      // VLAN 20 is not managed
        dispatch(VXLAN, new TunnelKey(0, 2).value(), "10.99.0.2", 10);       // tagged 10 but keyed as VLAN 0
        dispatch(VXLAN, 0x1000, "10.99.0.2", -1);                            // not a key we write
        dispatch(11, new TunnelKey(0, 2).value(), "10.99.0.2", -1);         // another tunnel port
        routing.set(TunnelRouting.following("vxlan-fabric", (Inet4Address) InetAddress.getByName("10.99.0.3")));
        dispatch(VXLAN, new TunnelKey(0, 2).value(), "10.99.0.2", -1);      // another host leads now
        routing.set(null);
        dispatch(VXLAN, new TunnelKey(0, 2).value(), "10.99.0.2", -1);      // a single host

        assertThat(handed).isEmpty();
        assertThat(counters.dropCount(PuntDrop.UNMANAGED_VLAN)).isEqualTo(1);
        assertThat(counters.dropCount(PuntDrop.BAD_TUNNEL_METADATA)).isEqualTo(2);
        assertThat(counters.dropCount(PuntDrop.NOT_TUNNEL_LEADER)).isEqualTo(1);
        assertThat(counters.dropCount(PuntDrop.NOT_A_GUEST_PORT)).isEqualTo(2);
    }

    private void dispatch(int inPort, long tunId, String tunSrc, int vlan) throws Exception {
        byte[] frame = OvsPacketIns.clientDhcp("02:00:00:99:02:02", vlan);
        dispatcher.dispatch(DPID, PORTS, OvsPacketIns.parse(OvsPacketIns.bytes(inPort, tunId, tunSrc, "10.99.0.1", frame)));
    }
}
