package io.fabricipam.fabric.storage.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.target.LatencySummary;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NopLatencyTest {

    @Test
    void emptyUntilTheFirstAnswer() {
        assertThat(new NopLatency().summary()).isEqualTo(LatencySummary.NONE);
    }

    @Test
    void tracksLastAverageAndPercentiles() {
        NopLatency latency = new NopLatency();
        for (int i = 1; i <= 100; i++) {
            latency.add(Duration.ofMillis(i));
        }
        LatencySummary s = latency.summary();
        assertThat(s.last()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.samples()).isEqualTo(100);
        // only the last 64 answers (37..100 ms) are in the window
        assertThat(s.p50()).isEqualTo(Duration.ofMillis(68));
        assertThat(s.p99()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.ewma()).isBetween(Duration.ofMillis(95), Duration.ofMillis(98));
    }

    @Test
    void oneOutlierMovesTheAverageByAQuarter() {
        NopLatency latency = new NopLatency();
        latency.add(Duration.ofMillis(1));
        latency.add(Duration.ofMillis(101));
        assertThat(latency.summary().ewma()).isEqualTo(Duration.ofMillis(26));
        assertThat(latency.summary().p50()).isEqualTo(Duration.ofMillis(1));
    }
}
