package io.fabricipam.fabric.cluster;

import java.net.Inet4Address;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One host as this host sees it.
 *
 * @param hostId         its id
 * @param underlayIp     its tunnel endpoint
 * @param restUrl        its REST base URL, or null
 * @param state          UP while its node exists, LOST after it vanished
 * @param startedAt      when it registered (as it says)
 * @param lastHeartbeat  the last heartbeat it wrote (its clock)
 * @param lostSince      when this host saw its node vanish (this host's clock); null while UP
 * @param leaderEpoch    the epoch it published while leading; empty otherwise, and always for a LOST host
 */
public record Member(String hostId, Inet4Address underlayIp, URI restUrl, HostState state, Instant startedAt,
                     Instant lastHeartbeat, Instant lostSince, OptionalLong leaderEpoch) {

    public Member {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(leaderEpoch, "leaderEpoch");
        if ((state == HostState.LOST) != (lostSince != null)) {
            throw new IllegalArgumentException("lostSince is set exactly when the host is LOST");
        }
    }

    static Member up(HostRecord record) {
        return new Member(record.hostId(), record.underlayIp(), record.restUrl(), HostState.UP, record.startedAt(),
                record.heartbeatAt(), null, record.leaderEpoch());
    }

    Member lost(Instant since) {
        return new Member(hostId, underlayIp, restUrl, HostState.LOST, startedAt, lastHeartbeat, since,
                OptionalLong.empty());
    }
}
