package io.fabricipam.ovs.pipeline;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * Where this host's guest DHCP is answered in a multi-host fabric, and the bridge's tunnel port.
 *
 * @param local          whether this host leads (answers DHCP itself)
 * @param vxlanOfport    the OpenFlow number of the bridge's flow-based VXLAN port, {@link #NO_TUNNEL_PORT}
 *                       while the bridge has none
 * @param leaderUnderlay the leader's tunnel endpoint address; null when this host leads
 */
public record LeaderRoute(boolean local, int vxlanOfport, Inet4Address leaderUnderlay) {

    public static final int NO_TUNNEL_PORT = 0;

    public LeaderRoute {
        if (vxlanOfport < 0 || vxlanOfport >= 0xff00) {
            throw new IllegalArgumentException("not a switch port: " + vxlanOfport);
        }
        if (local != (leaderUnderlay == null)) {
            throw new IllegalArgumentException("the leader's address is needed exactly when another host leads");
        }
    }

    /** This host leads; other hosts' guest DHCP arrives on {@code vxlanOfport}. */
    public static LeaderRoute local(int vxlanOfport) {
        return new LeaderRoute(true, vxlanOfport, null);
    }

    /** The host at {@code leaderUnderlay} leads; our guests' DHCP goes there through {@code vxlanOfport}. */
    public static LeaderRoute remote(int vxlanOfport, Inet4Address leaderUnderlay) {
        return new LeaderRoute(false, vxlanOfport, Objects.requireNonNull(leaderUnderlay, "leaderUnderlay"));
    }

    public boolean hasTunnelPort() {
        return vxlanOfport != NO_TUNNEL_PORT;
    }
}
