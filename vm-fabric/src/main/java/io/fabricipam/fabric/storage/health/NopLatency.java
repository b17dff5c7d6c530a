package io.fabricipam.fabric.storage.health;

import io.fabricipam.fabric.storage.target.LatencySummary;
import java.time.Duration;
import java.util.Arrays;

/**
 * NOP round-trip statistics of one target: last, EWMA (weight 1/4 on the new sample, so a
 * single outlier moves it but does not own it) and p50/p99 of the last {@value #WINDOW} answers.
 * Confined to the prober's thread; {@link #summary()} is the snapshot others read.
 */
public final class NopLatency {

    static final int WINDOW = 64;
    private static final double WEIGHT = 0.25;

    private final long[] window = new long[WINDOW];
    private int count;
    private int next;
    private long last;
    private double ewma;

    public void add(Duration sample) {
        long nanos = sample.toNanos();
        last = nanos;
        ewma = count == 0 ? nanos : ewma + WEIGHT * (nanos - ewma);
        window[next] = nanos;
        next = (next + 1) % WINDOW;
        count++;
    }

    public LatencySummary summary() {
        if (count == 0) {
            return LatencySummary.NONE;
        }
        long[] sorted = Arrays.copyOf(window, Math.min(count, WINDOW));
        Arrays.sort(sorted);
        return new LatencySummary(Duration.ofNanos(last), Duration.ofNanos(Math.round(ewma)),
                Duration.ofNanos(percentile(sorted, 50)), Duration.ofNanos(percentile(sorted, 99)), count);
    }

    /** Nearest-rank percentile. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
