package io.fabricipam.fabric.storage.health;

import static io.fabricipam.fabric.storage.target.HealthState.DEGRADED;
import static io.fabricipam.fabric.storage.target.HealthState.HEALTHY;
import static io.fabricipam.fabric.storage.target.HealthState.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.target.HealthState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetHealthTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final NopOutcome GOOD = NopOutcome.answered(Duration.ofMillis(1));
    private static final NopOutcome SLOW = NopOutcome.answered(Duration.ofMillis(80));
    private static final NopOutcome MISS = NopOutcome.missed("Connection refused");

    private final TargetHealth health = new TargetHealth(HealthThresholds.DEFAULT, T0);
    private int tick;

    private List<HealthState> feed(NopOutcome... outcomes) {
        List<HealthState> states = new ArrayList<>();
        for (NopOutcome o : outcomes) {
            health.record(o, T0.plusMillis(200L * ++tick));
            states.add(health.state());
        }
        return states;
    }

    @Test
    void aTargetThatNeverAnswersSaysWhy() {
        feed(MISS);
        assertThat(health.state()).isEqualTo(UNAVAILABLE);
        assertThat(health.reason()).isEqualTo("1 ping missed: Connection refused");
        assertThat(health.since()).isEqualTo(T0);
    }

    @Test
    void startsUnavailableUntilProbed() {
        assertThat(health.state()).isEqualTo(UNAVAILABLE);
        assertThat(health.reason()).isEqualTo("not probed yet");
        assertThat(health.since()).isEqualTo(T0);
    }

    @Test
    void aNewTargetIsUsableAtOnceButTrustedOnlyAfterFiveGoodPings() {
        assertThat(feed(GOOD, GOOD, GOOD, GOOD, GOOD, GOOD))
                .containsExactly(DEGRADED, DEGRADED, DEGRADED, DEGRADED, HEALTHY, HEALTHY);
        assertThat(health.reason()).isEqualTo("5 good pings in a row");
        assertThat(health.since()).isEqualTo(T0.plusMillis(1000));
    }

    @Test
    void oneMissDegradesAndThreeMakeUnavailable() {
        feed(GOOD, GOOD, GOOD, GOOD, GOOD);
        assertThat(feed(MISS, MISS, MISS, MISS)).containsExactly(DEGRADED, DEGRADED, UNAVAILABLE, UNAVAILABLE);
        assertThat(health.reason()).isEqualTo("4 pings missed in a row: Connection refused");
        assertThat(health.since()).as("entered at the third miss").isEqualTo(T0.plusMillis(200L * 8));
        assertThat(health.missesInARow()).isEqualTo(4);
    }

    @Test
    void oneSlowPingDegradesButNeverMakesUnavailable() {
        feed(GOOD, GOOD, GOOD, GOOD, GOOD);
        assertThat(feed(SLOW)).containsExactly(DEGRADED);
        assertThat(health.reason()).isEqualTo("slow ping: 80.0 ms > 50.0 ms");
        assertThat(feed(SLOW, SLOW, SLOW, SLOW, SLOW)).containsOnly(DEGRADED);
    }

    @Test
    void aMissBetweenGoodPingsRestartsTheCountTowardsHealthy() {
        feed(GOOD, GOOD, GOOD, GOOD, GOOD);
        assertThat(feed(MISS, GOOD, GOOD, GOOD, GOOD, MISS, GOOD, GOOD, GOOD, GOOD, GOOD))
                .containsExactly(DEGRADED, DEGRADED, DEGRADED, DEGRADED, DEGRADED, DEGRADED,
                        DEGRADED, DEGRADED, DEGRADED, DEGRADED, HEALTHY);
    }

    @Test
    void missesInterruptedByAnAnswerDoNotAddUp() {
        feed(GOOD, GOOD, GOOD, GOOD, GOOD);
        assertThat(feed(MISS, MISS, SLOW, MISS, MISS)).doesNotContain(UNAVAILABLE);
    }

    @Test
    void anUnavailableTargetThatAnswersAgainIsDegradedFirst() {
        feed(MISS, MISS, MISS);
        assertThat(health.state()).isEqualTo(UNAVAILABLE);
        assertThat(health.record(GOOD, T0.plusSeconds(10))).hasValueSatisfying(t -> {
            assertThat(t.from()).isEqualTo(UNAVAILABLE);
            assertThat(t.to()).isEqualTo(DEGRADED);
            assertThat(t.reason()).isEqualTo("answering: 1 of 5 good pings in a row before healthy");
        });
        health.record(GOOD, T0.plusSeconds(11));
        assertThat(health.reason()).isEqualTo("answering: 2 of 5 good pings in a row before healthy");
        assertThat(health.since()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void reportsATransitionOnlyWhenTheStateChanges() {
        assertThat(health.record(GOOD, T0.plusMillis(1))).isPresent();
        assertThat(health.record(GOOD, T0.plusMillis(2))).isEmpty();
    }

    @Test
    void tolerantThresholdsKeepAHealthyTargetThroughOneMiss() {
        TargetHealth tolerant = new TargetHealth(new HealthThresholds(Duration.ofMillis(50), 2, 4, 1), T0);
        tolerant.record(GOOD, T0);
        assertThat(tolerant.state()).isEqualTo(HEALTHY);
        tolerant.record(MISS, T0.plusMillis(1));
        assertThat(tolerant.state()).isEqualTo(HEALTHY);
        tolerant.record(MISS, T0.plusMillis(2));
        assertThat(tolerant.state()).isEqualTo(DEGRADED);
    }

    @Test
    void goesStraightFromHealthyToUnavailableWhenMissesCountFirst() {
        TargetHealth strict = new TargetHealth(new HealthThresholds(Duration.ofMillis(50), 3, 2, 1), T0);
        strict.record(GOOD, T0);
        strict.record(MISS, T0.plusMillis(1));
        assertThat(strict.state()).isEqualTo(HEALTHY);
        strict.record(MISS, T0.plusMillis(2));
        assertThat(strict.state()).isEqualTo(UNAVAILABLE);
    }
}
