package io.fabricipam.ovs;

import io.fabricipam.ovs.channel.OfServer;
import io.fabricipam.ovs.frame.FrameCodec;
import io.fabricipam.ovs.frame.UdpFrame;
import io.fabricipam.ovs.ovsdb.OvsdbMonitor;
import io.fabricipam.ovs.pipeline.PuntPolicy;
import io.fabricipam.ovs.pipeline.ServerAddresses;
import io.fabricipam.ovs.pipeline.TunnelRouting;
import io.fabricipam.ovs.port.PortBindingSource;
import io.fabricipam.ovs.port.PortClassifier;
import io.fabricipam.ovs.port.StaticPortBindings;
import io.fabricipam.ovs.punt.PuntCounters;
import io.fabricipam.ovs.punt.PuntedDhcp;
import io.fabricipam.ovs.punt.PuntedPacketHandler;
import io.fabricipam.ovs.switches.FlowStat;
import io.fabricipam.ovs.switches.SwitchListener;
import io.fabricipam.ovs.switches.SwitchRegistry;
import io.fabricipam.ovs.switches.SwitchView;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * The OpenFlow side of fabric-ipam in one object: listens for switches, keeps the DHCP punt pipeline on
 * each of them in line with its ports (from OVSDB) and the managed VLANs (from the application), hands
 * punted DHCP to the application and sends its answers back out.
 *
 * <p>Lifecycle, as Curator's recipes: {@link State#LATENT} until {@link #start()}, {@link State#STARTED}
 * until {@link #close()}, then {@link State#CLOSED} for good. The handler, listeners and managed VLANs
 * may be set in any state; setting them before {@code start()} means no switch ever sees a pipeline
 * without them.
 *
 * <p>Threads: Netty I/O threads decode and hand over (the punt handler runs on them: it must only
 * enqueue); each switch's flows are changed by that switch's own flow thread; OVSDB is read by one
 * thread. Every public method is thread-safe.
 */
public final class OpenFlowController implements AutoCloseable {

    public enum State {
        /** Built, not listening. start() -> STARTED; close() -> CLOSED. */
        LATENT,
        /** Listening and serving switches. close() -> CLOSED. */
        STARTED,
        /** Stopped; switches keep their flows (fail_mode=secure) until a controller returns. Final. */
        CLOSED
    }

    private final OpenFlowSettings settings;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final PortBindingSource bindings;
    private final PuntCounters counters = new PuntCounters();
    private final SwitchRegistry registry;
    private final OfServer server;
    private volatile int boundPort = -1;

    /** With OVSDB at {@code settings.ovsdbSocket()} (or no bindings at all when that is null). */
    public OpenFlowController(OpenFlowSettings settings, Clock clock) {
        this(settings, clock, settings.ovsdbSocket() == null
                ? new StaticPortBindings(Map.of())
                : new OvsdbMonitor(settings.ovsdbSocket(), classifier(settings)));
    }

    /** With port bindings from elsewhere (tests, or switches whose OVSDB we cannot reach). */
    public OpenFlowController(OpenFlowSettings settings, Clock clock, PortBindingSource bindings) {
        this.settings = settings;
        this.bindings = bindings;
        PuntPolicy policy = new PuntPolicy(settings.cookie(), settings.table(), settings.meterRatePps(), settings.meterBurst());
        this.registry = new SwitchRegistry(policy, settings.meters(), classifier(settings), bindings,
                settings.requestTimeout(), counters);
        this.server = new OfServer(new OfServer.Options(settings.bindAddress(), settings.port(), settings.tls(),
                settings.echoInterval(), settings.echoMisses(), settings.handshakeTimeout(), settings.requestTimeout(),
                settings.ioThreads()), registry, clock);
    }

    private static PortClassifier classifier(OpenFlowSettings settings) {
        return new PortClassifier(settings.uplinkPorts(), settings.tunnelPorts());
    }

    /** Starts OVSDB monitoring and the listener. Throws if the port cannot be bound or the TLS files are unusable. */
    public void start() throws InterruptedException, SSLException {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("cannot start from " + state.get());
        }
        try {
            bindings.start(registry::reconcileAll);
            boundPort = server.start();
        } catch (InterruptedException | SSLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public State state() {
        return state.get();
    }

    /** The port actually listened on (differs from the settings when they ask for 0); -1 before start. */
    public int boundPort() {
        return boundPort;
    }

    public OpenFlowSettings settings() {
        return settings;
    }

    /**
     * The VLANs whose guest DHCP we answer (0 = untagged network): the application derives them from its
     * scopes. Replaces the previous set and reconciles every switch (only changed flows are sent).
     */
    public void setManagedVlans(Set<Integer> vlans) {
        registry.managedVlans(vlans);
    }

    public Set<Integer> managedVlans() {
        return registry.managedVlans();
    }

    /**
     * The addresses (DHCP server identifiers no other host owns) we answer ARP for, per VLAN, with the MAC
     * to answer with. Replaces the previous set and reconciles every switch. The answers come from the
     * I/O thread that receives the request; the application is not involved.
     */
    public void setServerAddresses(ServerAddresses addresses) {
        registry.serverAddresses(addresses);
    }

    public ServerAddresses serverAddresses() {
        return registry.serverAddresses();
    }

    /**
     * Makes every bridge part of a multi-host fabric (or, with null, a single host again): when another
     * host leads, guest DHCP goes through the VXLAN port named in {@code routing} to the leader and its
     * replies are delivered to the asking guest's port; when this host leads, other hosts' guest DHCP
     * arriving on that port is punted too ({@link PuntedDhcp#tunnel()}). Reconciles every switch; call it
     * again whenever the leader changes.
     */
    public void setTunnelRouting(TunnelRouting routing) {
        registry.tunnel(routing);
    }

    public TunnelRouting tunnelRouting() {
        return registry.tunnel();
    }

    /** Where punted DHCP goes; see {@link PuntedPacketHandler} for the threading contract. */
    public void setPuntHandler(PuntedPacketHandler handler) {
        registry.puntHandler(handler);
    }

    public void addSwitchListener(SwitchListener listener) {
        registry.addListener(listener);
    }

    /**
     * Sends an Ethernet frame out of port {@code port} of switch {@code dpid}. Thread-safe, never blocks.
     * Returns false (and counts it) when the switch is not connected.
     */
    public boolean sendPacketOut(long dpid, int port, byte[] frame) {
        boolean sent = state.get() == State.STARTED && registry.packetOut(dpid, port, frame);
        counters.packetOut(sent);
        return sent;
    }

    /** Encodes {@code frame} (full IPv4 and UDP checksums, VLAN tag if it has one) and sends it out. */
    public boolean sendPacketOut(long dpid, int port, UdpFrame frame) {
        return sendPacketOut(dpid, port, FrameCodec.encode(frame));
    }

    /**
     * Sends the answer to {@code request} to the guest that asked: out of its port, or, for a request that
     * came through the tunnel, back through the tunnel to its host with the request's key. Thread-safe,
     * never blocks; false (and counted) when the switch is not connected.
     */
    public boolean sendReply(PuntedDhcp request, byte[] frame) {
        if (!request.tunnelled()) {
            return sendPacketOut(request.datapathId(), request.inPort(), frame);
        }
        boolean sent = state.get() == State.STARTED
                && registry.tunnelPacketOut(request.datapathId(), request.inPort(), request.tunnel(), frame);
        counters.packetOut(sent);
        return sent;
    }

    public boolean sendReply(PuntedDhcp request, UdpFrame frame) {
        return sendReply(request, FrameCodec.encode(frame));
    }

    /** Connected switches with their ports, for {@code GET /api/v1/switches}. */
    public List<SwitchView> switches() {
        return registry.views();
    }

    /** Our flows on a switch with its packet/byte counters (an OpenFlow flow-stats request filtered by our cookie). */
    public CompletableFuture<List<FlowStat>> flowStats(long dpid) {
        return registry.flowStats(dpid);
    }

    public PuntCounters counters() {
        return counters;
    }

    /** Whether OVSDB (the source of port roles and VLANs) is reachable now. */
    public boolean portBindingsConnected() {
        return bindings.connected();
    }

    /** OpenFlow messages that could not be parsed and were skipped. */
    public long unparseableMessages() {
        return server.unparseableMessages();
    }

    /** Stops listening and drops the connections. Flows stay on the switches. Idempotent. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        server.close();
        registry.close();
        bindings.close();
    }
}
