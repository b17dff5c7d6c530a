package io.fabricipam.fabric.storage.health;

import java.time.Duration;

/**
 * How targets are probed.
 *
 * @param interval         time between NOP-Out pings (sub-second: detection is a few intervals)
 * @param timeout          a ping (or connect, or login) not answered in this time is a miss
 * @param thresholds       the hysteresis of the health state
 * @param initiatorName    the probe's own IQN; failback never drops sessions of this name
 * @param rediscoverEvery  how often a target without configured IQNs is asked again what it exports
 */
public record ProbeSettings(Duration interval, Duration timeout, HealthThresholds thresholds, String initiatorName,
                            Duration rediscoverEvery) {

    public static final String DEFAULT_INITIATOR_NAME = "iqn.2024-01.io.fabricipam:health-probe";

    public static final ProbeSettings DEFAULT = new ProbeSettings(Duration.ofMillis(200), Duration.ofMillis(500),
            HealthThresholds.DEFAULT, DEFAULT_INITIATOR_NAME, Duration.ofSeconds(10));

    public ProbeSettings {
        if (interval.toMillis() < 10 || timeout.toMillis() < 10) {
            throw new IllegalArgumentException("probe interval and timeout must be at least 10 ms");
        }
        if (initiatorName == null || initiatorName.isBlank()) {
            throw new IllegalArgumentException("the probe needs an initiator name");
        }
    }

    public ProbeSettings withInterval(Duration interval) {
        return new ProbeSettings(interval, timeout, thresholds, initiatorName, rediscoverEvery);
    }

    public ProbeSettings withTimeout(Duration timeout) {
        return new ProbeSettings(interval, timeout, thresholds, initiatorName, rediscoverEvery);
    }

    public ProbeSettings withThresholds(HealthThresholds thresholds) {
        return new ProbeSettings(interval, timeout, thresholds, initiatorName, rediscoverEvery);
    }
}
