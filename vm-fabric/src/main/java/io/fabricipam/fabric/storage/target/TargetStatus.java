package io.fabricipam.fabric.storage.target;

import java.time.Instant;
import java.util.List;

/**
 * What the prober of one target last saw, as an immutable snapshot that any thread may read.
 *
 * @param since  when {@code health} was entered
 * @param reason why the target is in that state, in words (follows the latest ping while not healthy)
 * @param iqns   the IQNs it exports: configured, or discovered (empty until discovery succeeds)
 */
public record TargetStatus(TargetSpec spec, HealthState health, Instant since, String reason,
                           LatencySummary latency, List<String> iqns) {

    public TargetStatus {
        iqns = List.copyOf(iqns);
    }

    /** The status of a target no ping has reached yet: unavailable, so that nothing is sent there blind. */
    public static TargetStatus unprobed(TargetSpec spec, Instant registered) {
        return new TargetStatus(spec, HealthState.UNAVAILABLE, registered, "not probed yet", LatencySummary.NONE,
                spec.iqns());
    }

    public String name() {
        return spec.name();
    }

    public PathState pathState() {
        return PathState.of(health, spec.local());
    }

    /** Whether a login may go there, be it only as a last resort (degraded). */
    public boolean usable() {
        return health != HealthState.UNAVAILABLE;
    }

    public boolean exports(String iqn) {
        return iqns.contains(iqn);
    }
}
