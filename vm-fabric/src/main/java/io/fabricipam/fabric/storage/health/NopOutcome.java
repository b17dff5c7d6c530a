package io.fabricipam.fabric.storage.health;

import java.time.Duration;
import java.util.Objects;

/**
 * What one probe tick saw: the NOP-In came back after {@code latency}, or no answer came
 * ({@code missReason} says why: refused, closed, timed out, login failed...).
 */
public record NopOutcome(Duration latency, String missReason) {

    public NopOutcome {
        if ((latency == null) == (missReason == null)) {
            throw new IllegalArgumentException("either a latency or a miss reason");
        }
    }

    public static NopOutcome answered(Duration latency) {
        return new NopOutcome(Objects.requireNonNull(latency), null);
    }

    public static NopOutcome missed(String reason) {
        return new NopOutcome(null, Objects.requireNonNull(reason));
    }

    public boolean isAnswered() {
        return latency != null;
    }
}
