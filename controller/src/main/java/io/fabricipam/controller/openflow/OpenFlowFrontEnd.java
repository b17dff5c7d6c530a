package io.fabricipam.controller.openflow;

import io.fabricipam.controller.dhcp.DhcpLifecycle;
import io.fabricipam.controller.dhcp.DhcpWorkers;
import io.fabricipam.dhcp.codec.DhcpCodec;
import io.fabricipam.dhcp.codec.DhcpOptionCode;
import io.fabricipam.dhcp.codec.DhcpReply;
import io.fabricipam.dhcp.codec.DhcpRequest;
import io.fabricipam.dhcp.codec.MalformedPacketException;
import io.fabricipam.dhcp.codec.ReplyDestination;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.DhcpListener;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.RequestContext;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.ScopeState;
import io.fabricipam.ovs.OpenFlowController;
import io.fabricipam.ovs.OpenFlowSettings;
import io.fabricipam.ovs.channel.TlsFiles;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.frame.UdpFrame;
import io.fabricipam.ovs.pipeline.ServerAddresses;
import io.fabricipam.ovs.punt.PuntedDhcp;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * DHCP through Open vSwitch: the bridges punt guest DHCP to us (packet-in), the DHCP core answers it, and
 * the reply frame goes back out of the port it came from (packet-out). The scope is the one whose VLAN is
 * the port's network (access tag, or the frame's 802.1Q tag on a trunk); the VLANs of the scopes are the
 * managed networks whose DHCP the bridges intercept, kept in step with the scopes as they change.
 *
 * <p>Threads: the punt handler runs on a Netty I/O thread and only enqueues onto the shared DHCP worker
 * pool; the reply is sent from the core's completion (after the lease is committed).
 */
@Component
public class OpenFlowFrontEnd implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OpenFlowFrontEnd.class);

    private final OpenFlowProperties properties;
    private final DhcpServer server;
    private final ScopeDirectory directory;
    private final DhcpWorkers workers;
    private final DhcpListener listener;
    private final Clock clock;
    private final DhcpCodec codec = new DhcpCodec();
    private final MacAddress defaultServerMac;
    private volatile OpenFlowController controller;
    private volatile boolean running;

    public OpenFlowFrontEnd(OpenFlowProperties properties, DhcpServer server, ScopeDirectory directory, DhcpWorkers workers,
            DhcpListener listener, Clock clock) {
        this.properties = properties;
        this.server = server;
        this.directory = directory;
        this.workers = workers;
        this.listener = listener;
        this.clock = clock;
        this.defaultServerMac = MacAddress.parse(properties.serverMac());
    }

    /** The running controller, or null when OpenFlow is off or not started. */
    public OpenFlowController controller() {
        return controller;
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("OpenFlow off (fabric.openflow.enabled=false)");
            running = true;
            return;
        }
        OpenFlowController of = new OpenFlowController(settings(), clock);
        of.setPuntHandler(packet -> workers.submit(() -> process(packet)));
        directory.addChangeListener(this::updateManagedVlans);
        controller = of;
        updateManagedVlans();
        try {
            of.start();
        } catch (Exception e) {
            of.close();
            controller = null;
            throw new IllegalStateException("cannot listen for OpenFlow switches on " + properties.address() + ":"
                    + properties.port() + " (fabric.openflow.*): " + e.getMessage(), e);
        }
        log.info("OpenFlow 1.3 controller listening on {}:{}{}; intercepting DHCP on VLANs {}", properties.address(),
                of.boundPort(), properties.tls() == null ? "" : " (TLS)", of.managedVlans());
        running = true;
    }

    private OpenFlowSettings settings() {
        OpenFlowSettings s = OpenFlowSettings.defaults()
                .withListener(properties.address(), properties.port())
                .withEcho(properties.echoInterval(), properties.echoMisses())
                .withMeters(properties.meters().enabled(), properties.meters().rate(), properties.meters().burst())
                .withPortNames(Set.copyOf(properties.uplinks()), Set.copyOf(properties.tunnels()));
        OpenFlowProperties.Tls tls = properties.tls();
        if (tls != null && tls.privateKey() != null) {
            s = s.withTls(new TlsFiles(Path.of(tls.privateKey()), Path.of(tls.certificate()), Path.of(tls.caCertificate())));
        }
        String socket = properties.ovsdbSocket();
        return s.withOvsdbSocket(socket == null || socket.isBlank() || socket.equals("none") ? null : Path.of(socket));
    }

    /** The VLANs of the scopes are the managed networks; their own server identifiers get ARP answers. */
    private void updateManagedVlans() {
        OpenFlowController of = controller;
        if (of == null) {
            return;
        }
        Set<Integer> vlans = new HashSet<>();
        for (ScopeState s : directory.states()) {
            vlans.add(s.scope().vlan());
        }
        ServerAddresses servers = properties.arpResponder() ? serverAddresses() : ServerAddresses.NONE;
        if (!servers.equals(of.serverAddresses())) {
            log.info("answering ARP for server identifiers {}", servers.byVlan());
            of.setServerAddresses(servers);
        }
        if (!vlans.equals(of.managedVlans())) {
            log.info("intercepting guest DHCP on VLANs {}", vlans);
            of.setManagedVlans(vlans);
        }
    }

    /**
     * Per VLAN, each scope's server identifier with the MAC our replies come from, unless it is the scope's
     * gateway: that address belongs to a router, and answering for it would steal the network's traffic.
     * When two scopes on one VLAN name the same address, the first one (by name) decides the MAC.
     */
    ServerAddresses serverAddresses() {
        Map<Integer, Map<Inet4Address, MacAddress>> byVlan = new HashMap<>();
        List<Scope> scopes = directory.states().stream().map(ScopeState::scope)
                .sorted(Comparator.comparing(Scope::name)).toList();
        for (Scope scope : scopes) {
            Ipv4Address id = ScopeDirectory.serverIdentifier(scope, RequestContext.onVlan(scope.vlan(), "arp"));
            if (id.equals(scope.gateway())) {
                continue;
            }
            byVlan.computeIfAbsent(scope.vlan(), v -> new HashMap<>())
                    .putIfAbsent((Inet4Address) id.toInetAddress(), serverMac(scope));
        }
        return new ServerAddresses(byVlan);
    }

    private MacAddress serverMac(Scope scope) {
        return scope != null && scope.serverMac() != null ? new MacAddress(scope.serverMac().value()) : defaultServerMac;
    }

    private void process(PuntedDhcp packet) {
        DhcpRequest request;
        try {
            request = codec.decode(packet.payload());
        } catch (MalformedPacketException e) {
            listener.dropped(e.reason());
            log.debug("dropped DHCP from {} on {}: {} ({})", packet.srcMac(), packet.portName(), e.reason().tag(), e.getMessage());
            return;
        }
        String seenOn = "of:" + String.format("%016x", packet.datapathId()) + "/" + packet.portName();
        RequestContext context = new RequestContext(packet.vlan(), List.of(), seenOn, packet.receivedNanos());
        server.handle(request, context).whenComplete((outcome, failure) -> {
            if (failure != null) {
                log.error("DHCP request {} from {} failed", request, seenOn, failure);
            } else if (outcome.reply() != null) {
                send(packet, outcome.reply(), outcome.scope());
            }
        });
    }

    private void send(PuntedDhcp packet, DhcpReply reply, Scope scope) {
        OpenFlowController of = controller;
        if (of == null) {
            return;
        }
        DhcpCodec.EncodedReply encoded = codec.encode(reply, properties.mtu());
        encoded.omittedOptions().forEach(listener::optionOmitted);
        UdpFrame frame = replyFrame(packet, reply, scope, encoded.payload());
        if (of.sendPacketOut(packet.datapathId(), packet.inPort(), frame)) {
            listener.replied(reply.messageType(), System.nanoTime() - packet.receivedNanos());
        } else {
            log.debug("switch {} left before the reply to {} could be sent", packet.datapathId(), packet.srcMac());
        }
    }

    /**
     * RFC 2131 §4.1 at the link layer: to the relay (port 67), to the client's address, broadcast, or to the
     * offered address at chaddr — which needs no ARP here, unlike a socket. The tag of a tagged request is kept.
     */
    UdpFrame replyFrame(PuntedDhcp packet, DhcpReply reply, Scope scope, byte[] payload) {
        ReplyDestination d = reply.destination();
        MacAddress chaddr = new MacAddress(reply.request().mac().value());
        MacAddress dstMac = switch (d.kind()) {
            case RELAY -> packet.srcMac();
            case BROADCAST -> MacAddress.BROADCAST;
            case CLIENT_ADDRESS, OFFERED_ADDRESS -> chaddr;
        };
        MacAddress srcMac = serverMac(scope);
        byte[] serverId = reply.option(DhcpOptionCode.SERVER_IDENTIFIER);
        Inet4Address srcIp = (Inet4Address) Ipv4Address.of(serverId).toInetAddress();
        Inet4Address dstIp = (Inet4Address) d.address().toInetAddress();
        int vlan = packet.frame().tagged() ? packet.frame().vlan() : UdpFrame.UNTAGGED;
        return new UdpFrame(dstMac, srcMac, vlan, srcIp, dstIp, ReplyDestination.SERVER_PORT, d.port(), payload);
    }

    @Override
    public void stop() {
        running = false;
        OpenFlowController of = controller;
        controller = null;
        if (of != null) {
            of.close(); // flows stay on the bridges (fail_mode=secure keeps them while we are away)
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DhcpLifecycle.PHASE + 100;
    }
}
