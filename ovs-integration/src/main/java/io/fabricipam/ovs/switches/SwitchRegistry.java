package io.fabricipam.ovs.switches;

import io.fabricipam.ovs.channel.DatapathIds;
import io.fabricipam.ovs.channel.HandshakeResult;
import io.fabricipam.ovs.channel.SwitchConnection;
import io.fabricipam.ovs.flow.FlowText;
import io.fabricipam.ovs.flow.OfFlowMods;
import io.fabricipam.ovs.pipeline.PuntPolicy;
import io.fabricipam.ovs.pipeline.ServerAddresses;
import io.fabricipam.ovs.pipeline.TunnelRouting;
import io.fabricipam.ovs.port.PortBindingSource;
import io.fabricipam.ovs.port.PortClassifier;
import io.fabricipam.ovs.punt.PuntCounters;
import io.fabricipam.ovs.punt.PuntDispatcher;
import io.fabricipam.ovs.punt.PuntedPacketHandler;
import io.fabricipam.ovs.tunnel.TunnelOrigin;
import io.fabricipam.ovs.tunnel.TunnelPacketOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The switches we know, by datapath id: routes channel events to each datapath's {@link SwitchAgent},
 * and answers the read model, flow statistics and packet-outs.
 */
public final class SwitchRegistry implements io.fabricipam.ovs.channel.SwitchEvents, AutoCloseable {

    private final Map<Long, SwitchAgent> agents = new ConcurrentHashMap<>();
    private final PipelineContext context;
    private final PuntDispatcher dispatcher;
    private final List<SwitchListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "of-flows-retry");
        t.setDaemon(true);
        return t;
    });

    public SwitchRegistry(PuntPolicy policy, boolean meters, PortClassifier classifier, PortBindingSource bindings,
                          Duration requestTimeout, PuntCounters counters) {
        this.context = new PipelineContext(policy, meters, classifier, bindings, requestTimeout);
        this.dispatcher = new PuntDispatcher(counters, context::managedVlans, context::serverAddresses, context::tunnel,
                this::packetOut);
    }

    public void puntHandler(PuntedPacketHandler handler) {
        dispatcher.handler(handler);
    }

    public void addListener(SwitchListener listener) {
        listeners.add(listener);
    }

    public Set<Integer> managedVlans() {
        return context.managedVlans();
    }

    /** Changes which VLANs we serve and reconciles every switch. */
    public void managedVlans(Set<Integer> vlans) {
        context.managedVlans(vlans);
        reconcileAll();
    }

    public ServerAddresses serverAddresses() {
        return context.serverAddresses();
    }

    /** Changes which addresses we answer ARP for and reconciles every switch. */
    public void serverAddresses(ServerAddresses addresses) {
        context.serverAddresses(addresses);
        reconcileAll();
    }

    public TunnelRouting tunnel() {
        return context.tunnel();
    }

    /** Changes the multi-host routing (null: single host) and reconciles every switch. */
    public void tunnel(TunnelRouting routing) {
        context.tunnel(routing);
        reconcileAll();
    }

    /** Port bindings or settings changed: every switch recomputes its pipeline (only differences are sent). */
    public void reconcileAll() {
        agents.values().forEach(a -> a.requestReconcile(false));
    }

    @Override
    public void connected(SwitchConnection connection, HandshakeResult handshake) {
        agents.computeIfAbsent(handshake.datapathId(), id -> new SwitchAgent(id, context, listeners, retries))
                .attach(connection, handshake);
    }

    @Override
    public void disconnected(SwitchConnection connection) {
        SwitchAgent agent = agents.get(connection.datapathId());
        if (agent != null) {
            agent.detach(connection);
        }
    }

    @Override
    public void packetIn(SwitchConnection connection, OFPacketIn packetIn) {
        SwitchAgent agent = agents.get(connection.datapathId());
        if (agent == null || agent.connection() != connection) {
            return;
        }
        dispatcher.dispatch(agent.dpid, agent.ports().byOfport(), packetIn);
    }

    @Override
    public void portStatus(SwitchConnection connection, OFPortStatus status) {
        SwitchAgent agent = agents.get(connection.datapathId());
        if (agent != null) {
            agent.portStatus(connection, status);
        }
    }

    @Override
    public void error(SwitchConnection connection, OFErrorMsg error) {
        SwitchAgent agent = agents.get(connection.datapathId());
        if (agent != null) {
            agent.error(connection, error);
        }
    }

    /**
     * Sends {@code frame} out of {@code port} of switch {@code dpid} as a packet-out from the controller.
     * Thread-safe. Returns false when the switch is not connected (the frame is not sent).
     */
    public boolean packetOut(long dpid, int port, byte[] frame) {
        SwitchAgent agent = agents.get(dpid);
        SwitchConnection connection = agent == null ? null : agent.connection();
        if (connection == null || !connection.isOpen()) {
            return false;
        }
        OFPacketOut out = OfFlowMods.factory().buildPacketOut()
                .setBufferId(OFBufferId.NO_BUFFER)
                .setInPort(OFPort.CONTROLLER)
                .setActions(List.of(OfFlowMods.factory().actions().output(OFPort.of(port), 0)))
                .setData(frame)
                .build();
        connection.send(out);
        return true;
    }

    /**
     * Sends a reply frame back through tunnel port {@code vxlanOfport} of switch {@code dpid} to the host and
     * guest a tunnelled request came from ({@link TunnelPacketOut}). False when the switch is not connected.
     */
    public boolean tunnelPacketOut(long dpid, int vxlanOfport, TunnelOrigin origin, byte[] frame) {
        SwitchAgent agent = agents.get(dpid);
        SwitchConnection connection = agent == null ? null : agent.connection();
        if (connection == null || !connection.isOpen()) {
            return false;
        }
        connection.send(TunnelPacketOut.reply(origin, vxlanOfport, frame));
        return true;
    }

    /** Connected switches, by datapath id. */
    public List<SwitchView> views() {
        List<SwitchView> out = new ArrayList<>();
        for (SwitchAgent agent : agents.values()) {
            SwitchConnection c = agent.connection();
            if (c != null && c.isOpen()) {
                out.add(new SwitchView(agent.dpid, DatapathIds.format(agent.dpid), c.remoteAddressText(),
                        c.connectedSince(), agent.flowState(), agent.ports().views()));
            }
        }
        out.sort(Comparator.comparing(SwitchView::datapathId));
        return out;
    }

    /** Our flows on switch {@code dpid} with the switch's counters; fails when it is not connected. */
    public CompletableFuture<List<FlowStat>> flowStats(long dpid) {
        SwitchAgent agent = agents.get(dpid);
        SwitchConnection connection = agent == null ? null : agent.connection();
        if (connection == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("switch " + DatapathIds.format(dpid) + " is not connected"));
        }
        return connection.multipart(OfFlowMods.statsRequest(context.policy.cookie())).thenApply(replies -> {
            List<FlowStat> stats = new ArrayList<>();
            for (OFFlowStatsReply reply : replies) {
                for (OFFlowStatsEntry e : reply.getEntries()) {
                    stats.add(OfFlowMods.read(e)
                            .map(f -> new FlowStat(FlowText.render(f), e.getPacketCount().getValue(), e.getByteCount().getValue(),
                                    e.getDurationSec(), true))
                            .orElseGet(() -> new FlowStat("cookie=0x" + Long.toHexString(e.getCookie().getValue())
                                    + ", table=" + e.getTableId().getValue() + ", priority=" + e.getPriority() + " " + e.getMatch(),
                                    e.getPacketCount().getValue(), e.getByteCount().getValue(), e.getDurationSec(), false)));
                }
            }
            stats.sort(Comparator.comparing(FlowStat::text));
            return stats;
        });
    }

    @Override
    public void close() {
        retries.shutdownNow();
        agents.values().forEach(SwitchAgent::close);
        agents.clear();
    }
}
