package io.fabricipam.ovs.punt;

import io.fabricipam.ovs.frame.ArpCodec;
import io.fabricipam.ovs.frame.ArpFrame;
import io.fabricipam.ovs.frame.FrameCodec;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.frame.MalformedFrameException;
import io.fabricipam.ovs.frame.UdpFrame;
import io.fabricipam.ovs.pipeline.BridgePort;
import io.fabricipam.ovs.pipeline.ServerAddresses;
import io.fabricipam.ovs.pipeline.TunnelRouting;
import io.fabricipam.ovs.port.PortRole;
import io.fabricipam.ovs.tunnel.TunnelKey;
import io.fabricipam.ovs.tunnel.TunnelOrigin;
import java.util.Map;
import java.util.Optional;
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
 * it came from a guest port on a managed network, hand over. ARP requests for one of our server addresses
 * are answered right here (a lookup in memory and a packet-out; nothing to wait for). Every refusal is
 * counted by reason; none is logged per packet (a flooding guest must not flood the log too).
 *
 * <p>In a multi-host fabric the leader also gets other hosts' guest DHCP from its tunnel port: the origin
 * host ({@code tun_src}) and the guest's network and port (the {@link TunnelKey} in {@code tun_id}) come
 * from the packet-in's metadata, and the request is handed over with them ({@link PuntedDhcp#tunnel()}).
 */
public final class PuntDispatcher {

    private static final Logger log = LoggerFactory.getLogger(PuntDispatcher.class);

    private final PuntCounters counters;
    private final Supplier<Set<Integer>> managedVlans;
    private final Supplier<ServerAddresses> serverAddresses;
    private final Supplier<TunnelRouting> tunnel;
    private final PacketOut packetOut;
    private volatile PuntedPacketHandler handler = PuntedPacketHandler.NONE;

    /** Sends a frame out of a switch port; false when the switch is gone. */
    @FunctionalInterface
    public interface PacketOut {
        boolean send(long datapathId, int port, byte[] frame);
    }

    /**
     * @param tunnel the multi-host routing, null on a single host (then nothing from a tunnel is accepted)
     */
    public PuntDispatcher(PuntCounters counters, Supplier<Set<Integer>> managedVlans,
                          Supplier<ServerAddresses> serverAddresses, Supplier<TunnelRouting> tunnel, PacketOut packetOut) {
        this.counters = counters;
        this.managedVlans = managedVlans;
        this.serverAddresses = serverAddresses;
        this.tunnel = tunnel;
        this.packetOut = packetOut;
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
        if (port != null && port.role() == PortRole.TUNNEL) {
            dispatchTunnelled(datapathId, port, packetIn, now);
            return;
        }
        if (port == null || port.role() != PortRole.GUEST) {
            counters.dropped(PuntDrop.NOT_A_GUEST_PORT);
            return;
        }
        byte[] data = packetIn.getData();
        if (ArpCodec.isArp(data)) {
            answerArp(datapathId, port, data);
            return;
        }
        UdpFrame frame;
        try {
            frame = FrameCodec.decode(data);
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
        int vlan = managedNetwork(port, frame.tagged(), frame.vlan());
        if (vlan < 0) {
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

    /** Client DHCP of another host's guest, through our tunnel port: only while we lead. */
    private void dispatchTunnelled(long datapathId, BridgePort port, OFPacketIn packetIn, long now) {
        TunnelRouting routing = tunnel.get();
        if (routing == null || !routing.portName().equals(port.name())) {
            counters.dropped(PuntDrop.NOT_A_GUEST_PORT);
            return;
        }
        if (!routing.leads()) {
            counters.dropped(PuntDrop.NOT_TUNNEL_LEADER);
            return;
        }
        Optional<TunnelOrigin> origin = TunnelOrigin.read(packetIn.getMatch());
        TunnelKey key = origin.map(TunnelOrigin::key).orElse(null);
        if (key == null) {
            counters.dropped(PuntDrop.BAD_TUNNEL_METADATA);
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
        if (frame.tagged() && frame.vlan() != key.vlan()) {
            counters.dropped(PuntDrop.BAD_TUNNEL_METADATA);
            return;
        }
        if (!managedVlans.get().contains(key.vlan())) {
            counters.dropped(PuntDrop.UNMANAGED_VLAN);
            return;
        }
        try {
            handler.onDhcp(new PuntedDhcp(datapathId, port.ofport(), port.name(), key.vlan(), frame, now, origin.get()));
            counters.handed();
        } catch (RuntimeException e) {
            counters.dropped(PuntDrop.HANDLER_FAILED);
            log.debug("punt handler failed", e);
        }
    }

    /** The managed VLAN a frame from {@code port} is on, or -1 (counted) when it is not on one. */
    private int managedNetwork(BridgePort port, boolean tagged, int tag) {
        int vlan;
        if (tagged) {
            if (!port.tagged().carries(tag)) {
                counters.dropped(PuntDrop.UNMANAGED_VLAN);
                return -1;
            }
            vlan = tag;
        } else {
            vlan = port.vlan();
        }
        if (!managedVlans.get().contains(vlan)) {
            counters.dropped(PuntDrop.UNMANAGED_VLAN);
            return -1;
        }
        return vlan;
    }

    /** "Who has SERVER?" from a guest on a managed network: "SERVER is at our MAC", out of the same port. */
    private void answerArp(long datapathId, BridgePort port, byte[] data) {
        ArpFrame request;
        try {
            request = ArpCodec.decode(data);
        } catch (MalformedFrameException e) {
            counters.dropped(PuntDrop.malformed(e.reason()));
            return;
        }
        int vlan = managedNetwork(port, request.tagged(), request.vlan());
        if (vlan < 0) {
            return;
        }
        MacAddress ours = request.operation() == ArpFrame.REQUEST ? serverAddresses.get().macFor(vlan, request.targetIp()) : null;
        if (ours == null || request.senderMac().isMulticast()) {
            counters.dropped(PuntDrop.NOT_OUR_ARP);
            return;
        }
        boolean sent = packetOut.send(datapathId, port.ofport(), ArpCodec.encode(request.replyFrom(ours)));
        counters.packetOut(sent);
        if (sent) {
            counters.arpAnswered();
        }
    }
}
