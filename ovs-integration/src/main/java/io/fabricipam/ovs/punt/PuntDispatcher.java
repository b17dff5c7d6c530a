package io.fabricipam.ovs.punt;

import io.fabricipam.ovs.frame.FrameCodec;
import io.fabricipam.ovs.frame.MalformedFrameException;
import io.fabricipam.ovs.frame.UdpFrame;
import io.fabricipam.ovs.pipeline.BridgePort;
import io.fabricipam.ovs.port.PortRole;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns packet-ins into {@link PuntedDhcp} for the application, on the I/O thread: decode, check that
 * it came from a guest port on a managed network, hand over. Every refusal is counted by reason; none is
 * logged per packet (a flooding guest must not flood the log too).
 */
public final class PuntDispatcher {

    private static final Logger log = LoggerFactory.getLogger(PuntDispatcher.class);

    private final PuntCounters counters;
    private final Supplier<Set<Integer>> managedVlans;
    private volatile PuntedPacketHandler handler = PuntedPacketHandler.NONE;

    public PuntDispatcher(PuntCounters counters, Supplier<Set<Integer>> managedVlans) {
        this.counters = counters;
        this.managedVlans = managedVlans;
    }

    public void handler(PuntedPacketHandler next) {
        this.handler = next == null ? PuntedPacketHandler.NONE : next;
    }

    /**
     * @param ports the switch's ports by OpenFlow number, as last reconciled
     */
    public void dispatch(long datapathId, Map<Integer, BridgePort> ports, OFPacketIn packetIn) {
        long now = System.nanoTime();
        OFPacketInReason reason = packetIn.getReason();
        if (reason != OFPacketInReason.ACTION && reason != OFPacketInReason.NO_MATCH) {
            counters.dropped(PuntDrop.OTHER_REASON);
            return;
        }
        OFPort inPort = packetIn.getMatch().get(MatchField.IN_PORT);
        if (inPort == null) {
            counters.dropped(PuntDrop.NO_IN_PORT);
            return;
        }
        BridgePort port = ports.get(inPort.getPortNumber());
        if (port == null || port.role() != PortRole.GUEST) {
            counters.dropped(PuntDrop.NOT_A_GUEST_PORT);
            return;
        }
        UdpFrame frame;
        try {
            frame = FrameCodec.decode(packetIn.getData());
        } catch (MalformedFrameException e) {
            counters.dropped(PuntDrop.malformed(e.reason()));
            return;
        }
        if (frame.srcPort() != 68 || frame.dstPort() != 67) {
            counters.dropped(PuntDrop.NOT_DHCP);
            return;
        }
        if (port.attachedMac() != null && !port.attachedMac().equals(frame.srcMac())) {
            counters.dropped(PuntDrop.FOREIGN_MAC);
            return;
        }
        int vlan;
        if (frame.tagged()) {
            if (!port.tagged().carries(frame.vlan())) {
                counters.dropped(PuntDrop.UNMANAGED_VLAN);
                return;
            }
            vlan = frame.vlan();
        } else {
            vlan = port.vlan();
        }
        if (!managedVlans.get().contains(vlan)) {
            counters.dropped(PuntDrop.UNMANAGED_VLAN);
            return;
        }
        try {
            handler.onDhcp(new PuntedDhcp(datapathId, port.ofport(), port.name(), vlan, frame, now));
            counters.handed();
        } catch (RuntimeException e) {
            counters.dropped(PuntDrop.HANDLER_FAILED);
            log.debug("punt handler failed", e);
        }
    }
}
