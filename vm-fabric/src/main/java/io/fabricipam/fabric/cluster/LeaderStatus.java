package io.fabricipam.fabric.cluster;

import java.util.OptionalLong;

/**
 * This host's role at one moment: a phase, and the epoch when LEADING.
 *
 * @param phase  where this host stands
 * @param epoch  the claimed epoch when {@code phase} is LEADING, else -1
 */
public record LeaderStatus(LeaderPhase phase, long epoch) {

    public static final LeaderStatus FOLLOWER = new LeaderStatus(LeaderPhase.FOLLOWER, -1);
    public static final LeaderStatus CLAIMING = new LeaderStatus(LeaderPhase.CLAIMING, -1);
    public static final LeaderStatus SUSPENDED = new LeaderStatus(LeaderPhase.SUSPENDED, -1);
    public static final LeaderStatus CLOSED = new LeaderStatus(LeaderPhase.CLOSED, -1);

    public LeaderStatus {
        if (phase == null) {
            throw new IllegalArgumentException("phase is required");
        }
        if ((phase == LeaderPhase.LEADING) != (epoch >= 0)) {
            throw new IllegalArgumentException("an epoch (>= 0) exactly when LEADING, not " + phase + " " + epoch);
        }
    }

    public static LeaderStatus leading(long epoch) {
        return new LeaderStatus(LeaderPhase.LEADING, epoch);
    }

    /** True only when this host may answer DHCP. */
    public boolean isLeading() {
        return phase == LeaderPhase.LEADING;
    }

    /** The epoch while leading. */
    public OptionalLong leadingEpoch() {
        return isLeading() ? OptionalLong.of(epoch) : OptionalLong.empty();
    }

    @Override
    public String toString() {
        return isLeading() ? "LEADING(" + epoch + ")" : phase.name();
    }
}
