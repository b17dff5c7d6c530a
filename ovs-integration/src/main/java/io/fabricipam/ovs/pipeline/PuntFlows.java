package io.fabricipam.ovs.pipeline;

import io.fabricipam.ovs.flow.FlowAction;
import io.fabricipam.ovs.flow.FlowCookie;
import io.fabricipam.ovs.flow.FlowMatch;
import io.fabricipam.ovs.flow.FlowSpec;
import io.fabricipam.ovs.flow.MeterSpec;
import io.fabricipam.ovs.flow.VlanMatch;
import io.fabricipam.ovs.port.PortRole;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The DHCP interception pipeline of one bridge, as a pure function of its ports and the managed VLANs.
 *
 * <p>For every guest port and every managed network the port is on (its untagged network, the access
 * {@code tag} or 0, and each managed VLAN it carries tagged):
 * <pre>
 *   310  arp,in_port=P,VLAN,arp_tpa=SERVER,arp_op=1            actions=[meter:M,]CONTROLLER:65535
 *   300  udp,in_port=P,VLAN[,dl_src=MAC],tp_src=68,tp_dst=67  actions=[meter:M,]CONTROLLER:65535
 *   290  udp,in_port=P,VLAN,tp_src=68,tp_dst=67                actions=drop    (only when MAC is pinned)
 *   280  udp,in_port=P,VLAN,tp_src=67,tp_dst=68                actions=drop
 *     0  (everything)                                           actions=NORMAL
 * </pre>
 * Client DHCP (68 -> 67) goes whole to the controller. Server DHCP (67 -> 68) arriving from a guest is a
 * rogue server on a network we serve, and dies at the port. ARP requests for a server identifier of ours
 * on that network ({@link ServerAddresses}) come to us to be answered, so that unicast renewals can leave
 * the guest. Everything else is switched as before.
 *
 * <p>Ports on unmanaged networks get no flow at all, not even the rogue-server drop: there the operator's
 * own DHCP server may well be a guest VM behind such a port, and its replies must reach its clients
 * unchanged. Uplinks, tunnels, the bridge's local port and ports not yet known to OVSDB are never guests.
 *
 * <p>When the port's MAC is pinned ({@code attached-mac}), only that MAC's client DHCP is punted and
 * client DHCP from any other source MAC behind the port is dropped. Passing it to NORMAL would flood it
 * over a managed network where nobody but us may answer; punting it would let one guest spend the pool
 * (and the controller's time) on made-up MACs, which is the starvation attack the pin exists to stop.
 */
public final class PuntFlows {

    public static final int PRIORITY_ARP = 310;
    public static final int PRIORITY_PUNT = 300;
    public static final int PRIORITY_OTHER_MAC_DROP = 290;
    public static final int PRIORITY_ROGUE_SERVER_DROP = 280;
    public static final int PRIORITY_NORMAL = 0;

    static final int DHCP_SERVER_PORT = 67;
    static final int DHCP_CLIENT_PORT = 68;

    private PuntFlows() {
    }

    /**
     * @param ports        every port of the bridge (any role)
     * @param managedVlans the VLANs whose DHCP we answer (0 = untagged)
     */
    public static Pipeline build(List<BridgePort> ports, Set<Integer> managedVlans, PuntPolicy policy) {
        return build(ports, managedVlans, ServerAddresses.NONE, policy);
    }

    /**
     * @param ports        every port of the bridge (any role)
     * @param managedVlans the VLANs whose DHCP we answer (0 = untagged)
     * @param servers      the addresses we answer ARP for, per VLAN (only managed VLANs count)
     */
    public static Pipeline build(List<BridgePort> ports, Set<Integer> managedVlans, ServerAddresses servers,
                                 PuntPolicy policy) {
        return build(ports, managedVlans, servers, policy, ClientDhcpRoute.CONTROLLER);
    }

    /**
     * Where a guest's client DHCP (68 -> 67) on one of its managed networks goes: to this host's controller,
     * or elsewhere ({@link TunnelFlows}: through the tunnel to the leader). The purpose code marks the
     * flow's cookie.
     */
    interface ClientDhcpRoute {

        ClientDhcpRoute CONTROLLER = new ClientDhcpRoute() {
            @Override
            public int purpose() {
                return FlowCookie.PUNT;
            }

            @Override
            public List<FlowAction> actions(BridgePort port, int vlan) {
                return List.of(new FlowAction.Controller(FlowAction.Controller.WHOLE_PACKET));
            }
        };

        int purpose();

        /** The actions for client DHCP from {@code port} on network {@code vlan} (0 = untagged network). */
        List<FlowAction> actions(BridgePort port, int vlan);
    }

    static Pipeline build(List<BridgePort> ports, Set<Integer> managedVlans, ServerAddresses servers,
                          PuntPolicy policy, ClientDhcpRoute route) {
        FlowCookie cookie = policy.cookie();
        List<FlowSpec> flows = new ArrayList<>();
        List<MeterSpec> meters = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        flows.add(FlowSpec.of(policy.table(), PRIORITY_NORMAL, cookie.forPurpose(FlowCookie.NORMAL),
                FlowMatch.ALL, List.of(new FlowAction.Normal())));

        Set<Integer> seenOfports = new HashSet<>();
        Set<Long> seenMeters = new HashSet<>();
        for (BridgePort port : ports) {
            if (port.role() != PortRole.GUEST) {
                continue;
            }
            String refusal = refusal(port, seenOfports, seenMeters);
            if (refusal != null) {
                refusals.add(port.name() + ": " + refusal);
                continue;
            }
            List<VlanMatch> networks = managedNetworks(port, managedVlans);
            if (networks.isEmpty()) {
                continue;
            }
            if (port.meterId() != FlowSpec.NO_METER) {
                meters.add(new MeterSpec(port.meterId(), policy.meterRatePps(), policy.meterBurst()));
            }
            for (VlanMatch vlan : networks) {
                int network = vlan.isUntagged() ? port.vlan() : vlan.vlanId();
                addArpFlows(flows, port, vlan, servers.on(network), policy);
                addGuestFlows(flows, port, vlan, policy, route.purpose(), route.actions(port, network));
            }
        }
        return new Pipeline(meters, flows, refusals);
    }

    private static void addArpFlows(List<FlowSpec> flows, BridgePort port, VlanMatch vlan, List<Inet4Address> servers,
                                    PuntPolicy policy) {
        FlowMatch onPort = FlowMatch.ALL.withInPort(port.ofport()).withVlan(vlan);
        for (Inet4Address server : servers) {
            flows.add(FlowSpec.of(policy.table(), PRIORITY_ARP, policy.cookie().forPurpose(FlowCookie.ARP_REPLY),
                            onPort.withArpRequestFor(server), List.of(new FlowAction.Controller(FlowAction.Controller.WHOLE_PACKET)))
                    .withMeter(port.meterId()));
        }
    }

    private static void addGuestFlows(List<FlowSpec> flows, BridgePort port, VlanMatch vlan, PuntPolicy policy,
                                      int purpose, List<FlowAction> clientDhcpActions) {
        FlowCookie cookie = policy.cookie();
        FlowMatch onPort = FlowMatch.ALL.withInPort(port.ofport()).withVlan(vlan);
        FlowMatch clientDhcp = onPort.withUdp(DHCP_CLIENT_PORT, DHCP_SERVER_PORT);

        FlowMatch punted = port.attachedMac() == null ? clientDhcp : clientDhcp.withEthSrc(port.attachedMac());
        flows.add(FlowSpec.of(policy.table(), PRIORITY_PUNT, cookie.forPurpose(purpose), punted, clientDhcpActions)
                .withMeter(port.meterId()));
        if (port.attachedMac() != null) {
            flows.add(FlowSpec.of(policy.table(), PRIORITY_OTHER_MAC_DROP, cookie.forPurpose(FlowCookie.OTHER_MAC_DROP),
                    clientDhcp, List.of()));
        }
        flows.add(FlowSpec.of(policy.table(), PRIORITY_ROGUE_SERVER_DROP, cookie.forPurpose(FlowCookie.ROGUE_SERVER_DROP),
                onPort.withUdp(DHCP_SERVER_PORT, DHCP_CLIENT_PORT), List.of()));
    }

    /** The VLAN matches of the managed networks this port is on: untagged first, then tagged by VLAN id. */
    static List<VlanMatch> managedNetworks(BridgePort port, Set<Integer> managedVlans) {
        List<VlanMatch> networks = new ArrayList<>();
        if (managedVlans.contains(port.vlan())) {
            networks.add(VlanMatch.UNTAGGED);
        }
        for (int vlan : new TreeSet<>(managedVlans)) {
            if (vlan != 0 && port.tagged().carries(vlan)) {
                networks.add(VlanMatch.tagged(vlan));
            }
        }
        return networks;
    }

    private static String refusal(BridgePort port, Set<Integer> seenOfports, Set<Long> seenMeters) {
        if (port.ofport() <= 0 || port.ofport() >= 0xff00) {
            return "ofport " + port.ofport() + " is not a usable switch port";
        }
        if (!seenOfports.add(port.ofport())) {
            return "ofport " + port.ofport() + " appears twice";
        }
        if (port.attachedMac() != null && port.attachedMac().isMulticast()) {
            return "attached-mac " + port.attachedMac() + " is a multicast address";
        }
        if (port.meterId() != FlowSpec.NO_METER && !seenMeters.add(port.meterId())) {
            return "meter " + port.meterId() + " is already used by another port";
        }
        return null;
    }
}
