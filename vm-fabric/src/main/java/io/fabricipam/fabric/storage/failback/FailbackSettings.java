package io.fabricipam.fabric.storage.failback;

import java.time.Duration;

/**
 * The failback policy.
 *
 * @param enabled          false: sessions stay where failover put them until they reconnect on their own
 * @param holdDown         how long the local target must stay HEALTHY without interruption before
 *                         sessions are moved back; a flapping target restarts the wait each time
 * @param sweepEvery       at most one look at the remote targets' connections per this period
 * @param maxDropsPerSweep connections dropped per sweep, so that initiators come back in small
 *                         groups rather than all at once
 * @param rememberFor      how long an initiator sent to a remote target stays a failback candidate
 *                         when it is not seen on any remote target (it may still be logging in)
 */
public record FailbackSettings(boolean enabled, Duration holdDown, Duration sweepEvery, int maxDropsPerSweep,
                               Duration rememberFor) {

    public static final FailbackSettings DEFAULT = new FailbackSettings(true, Duration.ofSeconds(10),
            Duration.ofSeconds(1), 16, Duration.ofSeconds(30));

    public FailbackSettings {
        if (holdDown.isNegative() || sweepEvery.isNegative() || rememberFor.isNegative() || maxDropsPerSweep < 1) {
            throw new IllegalArgumentException("failback durations must not be negative, drops per sweep at least 1");
        }
    }

    public FailbackSettings withHoldDown(Duration holdDown) {
        return new FailbackSettings(enabled, holdDown, sweepEvery, maxDropsPerSweep, rememberFor);
    }
}
