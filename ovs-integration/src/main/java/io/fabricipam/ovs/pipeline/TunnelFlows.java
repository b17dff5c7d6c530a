package io.fabricipam.ovs.pipeline;

import io.fabricipam.ovs.flow.FlowAction;
import io.fabricipam.ovs.flow.FlowCookie;
import io.fabricipam.ovs.flow.FlowMatch;
import io.fabricipam.ovs.flow.FlowSpec;
import io.fabricipam.ovs.port.PortRole;
import io.fabricipam.ovs.tunnel.TunnelKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The DHCP pipeline of one bridge in a multi-host fabric, where only the leader's host answers: a pure
 * function of the bridge's ports, the managed VLANs, the VXLAN port and who leads ({@link LeaderRoute}).
 *
 * <p>On the <b>leader</b>, {@link PuntFlows} as on a single host, plus, on the flow-based VXLAN port VX:
 * <pre>
 *   300  udp,in_port=VX,tp_src=68,tp_dst=67   actions=CONTROLLER:65535     (other hosts' guests)
 *   270  udp,in_port=VX,tp_src=67,tp_dst=68   actions=drop
 * </pre>
 * The packet-in carries {@code tun_src} (the origin host) and {@code tun_id} (a {@link TunnelKey}: the
 * guest's VLAN and port there); the controller answers with a packet-out that sets {@code tun_dst} to the
 * origin, {@code tun_id} to the same key, and outputs to VX
 * ({@link io.fabricipam.ovs.tunnel.TunnelPacketOut}).
 *
 * <p>On a <b>follower</b>, {@link PuntFlows}' flows with the client-DHCP punt replaced by a forward to the
 * leader, and for each forwarded (port P, network) with key K a delivery flow for the reply:
 * <pre>
 *   300  udp,in_port=P,VLAN[,dl_src=MAC],tp_src=68,tp_dst=67
 *            actions=[meter:M,]set_field:LEADER->tun_dst,set_field:K->tun_id,output:VX
 *   300  udp,tun_id=K,tun_src=LEADER,in_port=VX,VLAN,tp_src=67,tp_dst=68   actions=output:P
 *   270  udp,in_port=VX,tp_src=67,tp_dst=68   actions=drop
 *   270  udp,in_port=VX,tp_src=68,tp_dst=67   actions=drop
 * </pre>
 * ARP for server identifiers, the pinned-MAC drop and the rogue-server drop stay as on a single host: ARP
 * is answered by every host's own controller (the server identifier is the scope's, whoever leads).
 *
 * <p>Why the reply is delivered by a flow on the origin host and not by its controller: the key already
 * names the one port that asked, so a flow outputs the reply to exactly that port whatever its Ethernet
 * and IP destination say (a broadcast-flag reply is addressed to everyone, and NORMAL would flood it to
 * every guest on the VLAN). It needs no controller on the origin host, works while that controller
 * restarts, and costs no packet-in round trip. Matching {@code tun_src} as well lets only the current
 * leader reach guests: a deposed leader's late replies, or any other host's, fall to the drop below them.
 * The drops keep DHCP arriving on the tunnel port from NORMAL, which would flood it to every guest:
 * replies nobody here asked for, and client DHCP sent to us by a host that still thinks we lead.
 *
 * <p>A guest port whose number does not fit the key (above {@link TunnelKey#MAX_PORT}) cannot be served
 * through the tunnel: it gets no flows and is reported. A follower whose bridge has no VXLAN port (yet)
 * drops its guests' client DHCP rather than answer it: only the leader answers.
 */
public final class TunnelFlows {

    public static final int PRIORITY_FROM_TUNNEL = 300;
    public static final int PRIORITY_REPLY_TO_GUEST = 300;
    public static final int PRIORITY_TUNNEL_STRAY_DROP = 270;

    private TunnelFlows() {
    }

    public static Pipeline build(List<BridgePort> ports, Set<Integer> managedVlans, ServerAddresses servers,
                                 PuntPolicy policy, LeaderRoute route) {
        if (route.local()) {
            Pipeline local = PuntFlows.build(ports, managedVlans, servers, policy);
            if (!route.hasTunnelPort()) {
                return local;
            }
            List<FlowSpec> flows = new ArrayList<>(local.flows());
            FlowMatch fromTunnel = FlowMatch.ALL.withInPort(route.vxlanOfport());
            flows.add(FlowSpec.of(policy.table(), PRIORITY_FROM_TUNNEL, policy.cookie().forPurpose(FlowCookie.FROM_TUNNEL),
                    fromTunnel.withUdp(PuntFlows.DHCP_CLIENT_PORT, PuntFlows.DHCP_SERVER_PORT),
                    List.of(new FlowAction.Controller(FlowAction.Controller.WHOLE_PACKET))));
            flows.add(strayDrop(policy, fromTunnel.withUdp(PuntFlows.DHCP_SERVER_PORT, PuntFlows.DHCP_CLIENT_PORT)));
            return new Pipeline(local.meters(), flows, local.refusals());
        }

        List<String> refusals = new ArrayList<>();
        List<BridgePort> served = new ArrayList<>();
        for (BridgePort port : ports) {
            if (port.role() == PortRole.GUEST && port.ofport() > TunnelKey.MAX_PORT && port.ofport() < 0xff00
                    && !PuntFlows.managedNetworks(port, managedVlans).isEmpty()) {
                refusals.add(port.name() + ": ofport " + port.ofport() + " does not fit the tunnel key (at most "
                        + TunnelKey.MAX_PORT + "); its DHCP cannot reach the leader");
                continue;
            }
            served.add(port);
        }
        if (!route.hasTunnelPort()) {
            refusals.add("(tunnel): no VXLAN port on this bridge; guest DHCP is dropped until there is one");
        }
        Pipeline forwarded = PuntFlows.build(served, managedVlans, servers, policy, new ToLeader(route));
        refusals.addAll(forwarded.refusals());
        if (!route.hasTunnelPort()) {
            return new Pipeline(forwarded.meters(), forwarded.flows(), refusals);
        }

        List<FlowSpec> flows = new ArrayList<>(forwarded.flows());
        FlowMatch fromTunnel = FlowMatch.ALL.withInPort(route.vxlanOfport());
        for (FlowSpec flow : forwarded.flows()) {
            if ((flow.cookie() & 0xff) != FlowCookie.TO_LEADER) {
                continue;
            }
            long key = flow.actions().stream().filter(a -> a instanceof FlowAction.SetTunnelId)
                    .mapToLong(a -> ((FlowAction.SetTunnelId) a).id()).findFirst().orElseThrow();
            FlowMatch reply = fromTunnel.withVlan(flow.match().vlan()).withTunnel(key, route.leaderUnderlay())
                    .withUdp(PuntFlows.DHCP_SERVER_PORT, PuntFlows.DHCP_CLIENT_PORT);
            flows.add(FlowSpec.of(policy.table(), PRIORITY_REPLY_TO_GUEST, policy.cookie().forPurpose(FlowCookie.REPLY_TO_GUEST),
                    reply, List.of(new FlowAction.Output(flow.match().inPort()))));
        }
        flows.add(strayDrop(policy, fromTunnel.withUdp(PuntFlows.DHCP_SERVER_PORT, PuntFlows.DHCP_CLIENT_PORT)));
        flows.add(strayDrop(policy, fromTunnel.withUdp(PuntFlows.DHCP_CLIENT_PORT, PuntFlows.DHCP_SERVER_PORT)));
        return new Pipeline(forwarded.meters(), flows, refusals);
    }

    private static FlowSpec strayDrop(PuntPolicy policy, FlowMatch match) {
        return FlowSpec.of(policy.table(), PRIORITY_TUNNEL_STRAY_DROP, policy.cookie().forPurpose(FlowCookie.TUNNEL_STRAY_DROP),
                match, List.of());
    }

    /** A follower's guest DHCP: to the leader's host, keyed with the guest's network and port. */
    private record ToLeader(LeaderRoute route) implements PuntFlows.ClientDhcpRoute {

        @Override
        public int purpose() {
            return FlowCookie.TO_LEADER;
        }

        @Override
        public List<FlowAction> actions(BridgePort port, int vlan) {
            if (!route.hasTunnelPort()) {
                return List.of();
            }
            return List.of(new FlowAction.SetTunnelDestination(route.leaderUnderlay()),
                    new FlowAction.SetTunnelId(new TunnelKey(vlan, port.ofport()).value()),
                    new FlowAction.Output(route.vxlanOfport()));
        }
    }
}
