package io.fabricipam.fabric.storage;

import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.LatencySummary;
import io.fabricipam.fabric.storage.target.PathSelector;
import io.fabricipam.fabric.storage.target.PathState;
import io.fabricipam.fabric.storage.target.TargetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A target as {@code GET /api/v1/storage/targets} shows it: flat, JSON-friendly, latencies in
 * milliseconds (null before the first answered ping).
 *
 * @param admin        tgtd's control port ({@code tgtadm -C N}) used for failback drops; null when none
 * @param pathState    ALUA-like preference for new logins
 * @param explanation  the path state and health in words, e.g. "local target 'local'
 *                     (127.0.0.1:3260) healthy: active/optimized, preferred"
 */
public record TargetView(String name, String portal, boolean local, List<String> iqns, Integer admin,
                         HealthState health, Instant healthSince, String healthReason, PathState pathState,
                         String explanation, Double nopLastMillis, Double nopEwmaMillis, Double nopP50Millis,
                         Double nopP99Millis, long nopSamples) {

    static TargetView of(TargetStatus status) {
        LatencySummary latency = status.latency();
        return new TargetView(status.name(), status.spec().portal().toString(), status.spec().local(), status.iqns(),
                status.spec().admin() == null ? null : Integer.valueOf(status.spec().admin()), status.health(), status.since(), status.reason(), status.pathState(),
                PathSelector.describe(status), millis(latency.last()), millis(latency.ewma()), millis(latency.p50()),
                millis(latency.p99()), latency.samples());
    }

    private static Double millis(Duration d) {
        return d == null ? null : Math.round(d.toNanos() / 1e3) / 1e3;
    }
}
