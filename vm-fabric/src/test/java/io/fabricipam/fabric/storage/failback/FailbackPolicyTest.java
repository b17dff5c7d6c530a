package io.fabricipam.fabric.storage.failback;

import static io.fabricipam.fabric.storage.failback.FailbackPolicy.State.ARMED;
import static io.fabricipam.fabric.storage.failback.FailbackPolicy.State.HOLDING_DOWN;
import static io.fabricipam.fabric.storage.failback.FailbackPolicy.State.LOCAL_NOT_HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.target.HealthState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailbackPolicyTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final FailbackPolicy policy = new FailbackPolicy(Duration.ofSeconds(10));

    @Test
    void armsOnlyAfterTheLocalTargetHasBeenHealthyForTheWholeHoldDown() {
        assertThat(policy.state()).isEqualTo(LOCAL_NOT_HEALTHY);
        assertThat(policy.observe(HealthState.HEALTHY, T0)).isEqualTo(HOLDING_DOWN);
        assertThat(policy.healthySince()).isEqualTo(T0);
        assertThat(policy.observe(HealthState.HEALTHY, T0.plusMillis(9_999))).isEqualTo(HOLDING_DOWN);
        assertThat(policy.observe(HealthState.HEALTHY, T0.plusSeconds(10))).isEqualTo(ARMED);
        assertThat(policy.observe(HealthState.HEALTHY, T0.plusSeconds(60))).isEqualTo(ARMED);
    }

    @Test
    void aFlapRestartsTheHoldDownFromZero() {
        policy.observe(HealthState.HEALTHY, T0);
        assertThat(policy.observe(HealthState.DEGRADED, T0.plusSeconds(9))).isEqualTo(LOCAL_NOT_HEALTHY);
        assertThat(policy.healthySince()).isNull();
        policy.observe(HealthState.HEALTHY, T0.plusSeconds(10));
        assertThat(policy.observe(HealthState.HEALTHY, T0.plusSeconds(19))).isEqualTo(HOLDING_DOWN);
        assertThat(policy.observe(HealthState.HEALTHY, T0.plusSeconds(20))).isEqualTo(ARMED);
    }

    @Test
    void disarmsAsSoonAsTheLocalTargetIsNotHealthy() {
        policy.observe(HealthState.HEALTHY, T0);
        policy.observe(HealthState.HEALTHY, T0.plusSeconds(10));
        assertThat(policy.observe(HealthState.UNAVAILABLE, T0.plusSeconds(11))).isEqualTo(LOCAL_NOT_HEALTHY);
    }

    @Test
    void aZeroHoldDownArmsAtOnce() {
        assertThat(new FailbackPolicy(Duration.ZERO).observe(HealthState.HEALTHY, T0)).isEqualTo(ARMED);
    }
}
