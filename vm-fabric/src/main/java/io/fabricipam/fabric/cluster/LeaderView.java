package io.fabricipam.fabric.cluster;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who leads the fabric, as far as this host can tell.
 *
 * @param hostId  the leader's host id; empty when there is none or ZooKeeper cannot be asked
 * @param epoch   the leader's epoch once it has claimed and published it; empty before that
 */
public record LeaderView(Optional<String> hostId, OptionalLong epoch) {

    public static final LeaderView UNKNOWN = new LeaderView(Optional.empty(), OptionalLong.empty());

    public static LeaderView of(String hostId, OptionalLong epoch) {
        return new LeaderView(Optional.of(hostId), epoch);
    }

    public boolean isKnown() {
        return hostId.isPresent();
    }
}
