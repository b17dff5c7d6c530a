package io.fabricipam.fabric.cluster;

import java.net.Inet4Address;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a host publishes about itself in its ephemeral membership node {@code <base>/hosts/<hostId>}
 * (bytes: {@link HostRecordCodec}).
 *
 * @param hostId       the host's id, the same as the node's name
 * @param underlayIp   its VXLAN tunnel endpoint: where other hosts send the DHCP they forward to it
 * @param restUrl      base URL of its REST API, or null
 * @param startedAt    when its membership started (tells a restart from a long-lived host)
 * @param heartbeatAt  the last time it refreshed the node
 * @param leaderEpoch  the epoch it claimed, present only while it leads: how other hosts learn the leader's
 *                     epoch without another node that could outlive the leader
 */
public record HostRecord(String hostId, Inet4Address underlayIp, URI restUrl, Instant startedAt, Instant heartbeatAt,
                         OptionalLong leaderEpoch) {

    public HostRecord {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(underlayIp, "underlayIp");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
        Objects.requireNonNull(leaderEpoch, "leaderEpoch");
    }

    /** The record a host starts with: heartbeat now, not leading. */
    public static HostRecord starting(ClusterSettings settings, Instant now) {
        return new HostRecord(settings.hostId(), settings.underlayIp(), settings.restUrl(), now, now,
                OptionalLong.empty());
    }

    public HostRecord withHeartbeat(Instant heartbeatAt) {
        return new HostRecord(hostId, underlayIp, restUrl, startedAt, heartbeatAt, leaderEpoch);
    }

    public HostRecord withLeaderEpoch(OptionalLong leaderEpoch) {
        return new HostRecord(hostId, underlayIp, restUrl, startedAt, heartbeatAt, leaderEpoch);
    }
}
