package io.fabricipam.ovs.tunnel;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.U64;

/**
 * Where a packet that came out of a tunnel port was sent from: the remote host's underlay address
 * ({@code tun_src}) and the tunnel key it chose ({@code tun_id}), read from an OpenFlow 1.3 packet-in.
 *
 * <p>OVS puts tunnel metadata into the packet-in's match without {@code eth_type}, and openflowj's
 * {@code Match.get(TUNNEL_IPV4_SRC)} answers null then (it declares eth_type=IPv4 a prerequisite of the
 * tunnel addresses). So this reads the OXM list directly. OVS leaves a zero {@code tun_id} out of the
 * match; it reads as 0.
 *
 * @param underlay the remote tunnel endpoint (the origin host)
 * @param tunId    the tunnel key as received
 */
public record TunnelOrigin(Inet4Address underlay, long tunId) {

    public TunnelOrigin {
        Objects.requireNonNull(underlay, "underlay");
    }

    /** The origin of a tunnelled packet-in; empty when the match carries no {@code tun_src} (not tunnelled). */
    public static Optional<TunnelOrigin> read(Match match) {
        if (!(match instanceof OFMatchV3 v3)) {
            return Optional.empty();
        }
        OFOxm<IPv4Address> src = v3.getOxmList().get(MatchField.TUNNEL_IPV4_SRC);
        if (src == null || src.isMasked() || src.getValue().equals(IPv4Address.NONE)) {
            return Optional.empty();
        }
        OFOxm<U64> id = v3.getOxmList().get(MatchField.TUNNEL_ID);
        long key = id == null ? 0 : id.getValue().getValue();
        return Optional.of(new TunnelOrigin((Inet4Address) src.getValue().toInetAddress(), key));
    }

    /** The key as ours ({@link TunnelKey}), or null when the sender used one we never write. */
    public TunnelKey key() {
        return TunnelKey.parse(tunId);
    }

    @Override
    public String toString() {
        return underlay.getHostAddress() + " key 0x" + Long.toHexString(tunId);
    }
}
