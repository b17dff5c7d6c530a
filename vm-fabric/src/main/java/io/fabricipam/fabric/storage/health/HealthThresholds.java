package io.fabricipam.fabric.storage.health;

import java.time.Duration;

/**
 * The hysteresis of {@link TargetHealth}.
 *
 * @param slowPing             an answer slower than this counts against the target (but it is alive)
 * @param badPingsToDegrade    consecutive slow or missed pings that take a healthy target to DEGRADED
 * @param missesToUnavailable  consecutive missed pings that make a target UNAVAILABLE
 * @param goodPingsToHealthy   consecutive timely answers that make a target HEALTHY again
 */
public record HealthThresholds(Duration slowPing, int badPingsToDegrade, int missesToUnavailable,
                               int goodPingsToHealthy) {

    /** Degraded after 1 slow (over 50 ms) or missed ping, unavailable after 3 misses, healthy after 5 good pings. */
    public static final HealthThresholds DEFAULT = new HealthThresholds(Duration.ofMillis(50), 1, 3, 5);

    public HealthThresholds {
        if (slowPing.isNegative() || slowPing.isZero()) {
            throw new IllegalArgumentException("slowPing must be positive");
        }
        if (badPingsToDegrade < 1 || missesToUnavailable < 1 || goodPingsToHealthy < 1) {
            throw new IllegalArgumentException("thresholds count pings: at least 1");
        }
    }
}
