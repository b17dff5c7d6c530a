package io.fabricipam.fabric.storage.target;

import java.time.Duration;

/**
 * NOP-Out round trips of one target: the last one, the moving average, p50 and p99 over the
 * recent window, and how many answers were seen. The durations are null until a ping has been
 * answered, so that "no data" is never mistaken for "fast".
 */
public record LatencySummary(Duration last, Duration ewma, Duration p50, Duration p99, int samples) {

    public static final LatencySummary NONE = new LatencySummary(null, null, null, null, 0);
}
