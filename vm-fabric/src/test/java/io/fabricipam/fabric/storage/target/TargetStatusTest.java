package io.fabricipam.fabric.storage.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetStatusTest {

    private static final String IQN = "iqn.2024-01.io.fabricipam:vm-disk-1";
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void aTargetNotProbedYetIsUnavailableWithNoLatencyFigures() {
        TargetSpec spec = TargetSpec.of("local", "127.0.0.1:3260", true).withIqns(List.of(IQN));
        TargetStatus status = TargetStatus.unprobed(spec, T0);
        assertThat(status.name()).isEqualTo("local");
        assertThat(status.health()).isEqualTo(HealthState.UNAVAILABLE);
        assertThat(status.since()).isEqualTo(T0);
        assertThat(status.reason()).isEqualTo("not probed yet");
        assertThat(status.usable()).isFalse();
        assertThat(status.pathState()).isEqualTo(PathState.UNAVAILABLE);
        assertThat(status.iqns()).containsExactly(IQN); // configured IQNs are known before any probe
        assertThat(status.latency()).isSameAs(LatencySummary.NONE);
        assertThat(LatencySummary.NONE.samples()).isZero();
        // null, not zero: "never answered" must not read as "answers fast"
        assertThat(Arrays.asList(LatencySummary.NONE.last(), LatencySummary.NONE.ewma(), LatencySummary.NONE.p50(),
                LatencySummary.NONE.p99())).containsOnlyNulls();
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            HEALTHY,     true,  ACTIVE_OPTIMIZED,     true
            HEALTHY,     false, ACTIVE_NON_OPTIMIZED, true
            DEGRADED,    true,  DEGRADED,             true
            DEGRADED,    false, DEGRADED,             true
            UNAVAILABLE, true,  UNAVAILABLE,          false
            UNAVAILABLE, false, UNAVAILABLE,          false
            """)
    void thePathStateFollowsHealthAndPlace(HealthState health, boolean local, PathState pathState, boolean usable) {
        assertThat(PathState.of(health, local)).isEqualTo(pathState);
        TargetStatus status = new TargetStatus(TargetSpec.of("t", "10.0.0.2:3260", local), health, T0, "test",
                LatencySummary.NONE, List.of(IQN));
        assertThat(status.pathState()).isEqualTo(pathState);
        assertThat(status.usable()).isEqualTo(usable);
    }

    @Test
    void exportsOnlyTheIqnsItKnowsOfAndKeepsItsOwnCopy() {
        List<String> iqns = new ArrayList<>(List.of(IQN));
        TargetStatus status = new TargetStatus(TargetSpec.of("t", "10.0.0.2:3260", false), HealthState.HEALTHY, T0,
                "test", LatencySummary.NONE, iqns);
        iqns.clear();
        assertThat(status.exports(IQN)).isTrue();
        assertThat(status.exports("iqn.2024-01.io.fabricipam:vm-disk-2")).isFalse();
        assertThat(status.iqns()).containsExactly(IQN);
    }
}
