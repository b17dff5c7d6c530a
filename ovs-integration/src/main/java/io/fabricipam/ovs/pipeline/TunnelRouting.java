package io.fabricipam.ovs.pipeline;

import io.fabricipam.ovs.port.PortRole;
import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;

/**
 * The multi-host part of every bridge's pipeline, as the application sets it: the name of the VXLAN port
 * (the same on every bridge we control; see {@link io.fabricipam.ovs.ovsdb.VxlanPort}) and who leads.
 * Each bridge turns it into a {@link LeaderRoute} with its own OpenFlow number for that port.
 *
 * @param portName       the flow-based VXLAN port's name
 * @param leaderUnderlay the leader's tunnel endpoint address; null when this host leads
 */
public record TunnelRouting(String portName, Inet4Address leaderUnderlay) {

    public TunnelRouting {
        Objects.requireNonNull(portName, "portName");
    }

    public static TunnelRouting leading(String portName) {
        return new TunnelRouting(portName, null);
    }

    public static TunnelRouting following(String portName, Inet4Address leaderUnderlay) {
        return new TunnelRouting(portName, Objects.requireNonNull(leaderUnderlay, "leaderUnderlay"));
    }

    public boolean leads() {
        return leaderUnderlay == null;
    }

    /** The route on a bridge with these ports: the tunnel port is the one of that name with the tunnel role. */
    public LeaderRoute on(List<BridgePort> ports) {
        int ofport = ports.stream()
                .filter(p -> p.role() == PortRole.TUNNEL && p.name().equals(portName) && p.ofport() > 0 && p.ofport() < 0xff00)
                .mapToInt(BridgePort::ofport).findFirst().orElse(LeaderRoute.NO_TUNNEL_PORT);
        return leads() ? LeaderRoute.local(ofport) : LeaderRoute.remote(ofport, leaderUnderlay);
    }
}
