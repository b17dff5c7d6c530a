package io.fabricipam.fabric.storage.health;

import io.fabricipam.fabric.storage.target.HealthState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The health state machine of one target, fed one {@link NopOutcome} per probe tick. Pure: no
 * I/O, no clock of its own (the caller passes the time), confined to the prober's thread.
 *
 * <p>A ping is <em>good</em> when answered within {@link HealthThresholds#slowPing()}, <em>slow</em>
 * when answered later, <em>missed</em> when not answered. Counters of consecutive good, bad (slow
 * or missed) and missed pings drive the transitions:
 * <ul>
 *   <li>{@link HealthState#UNAVAILABLE} (initial: "not probed yet")
 *       <br>-&gt; DEGRADED on the first answered ping (alive, not yet trusted)
 *       <br>-&gt; HEALTHY directly when {@code goodPingsToHealthy} is 1</li>
 *   <li>{@link HealthState#DEGRADED}
 *       <br>-&gt; HEALTHY after {@code goodPingsToHealthy} consecutive good pings
 *       <br>-&gt; UNAVAILABLE after {@code missesToUnavailable} consecutive misses</li>
 *   <li>{@link HealthState#HEALTHY}
 *       <br>-&gt; DEGRADED after {@code badPingsToDegrade} consecutive slow or missed pings
 *       <br>-&gt; UNAVAILABLE when the misses reach {@code missesToUnavailable} first (only if
 *       that is not more than {@code badPingsToDegrade})</li>
 * </ul>
 * Slow answers never make a target unavailable (it is alive) and never count towards healthy.
 * While not healthy, {@link #reason()} follows the latest ping (the last miss, or the way back)
 * without moving {@link #since()}.
 */
public final class TargetHealth {

    /** A change of state, for logs and listeners. */
    public record Transition(HealthState from, HealthState to, Instant at, String reason) {
    }

    private final HealthThresholds thresholds;
    private HealthState state = HealthState.UNAVAILABLE;
    private Instant since;
    private String reason = "not probed yet";
    private int goodInARow;
    private int badInARow;
    private int missesInARow;

    public TargetHealth(HealthThresholds thresholds, Instant created) {
        this.thresholds = thresholds;
        this.since = created;
    }

    public Optional<Transition> record(NopOutcome outcome, Instant now) {
        if (outcome.isAnswered() && outcome.latency().compareTo(thresholds.slowPing()) <= 0) {
            goodInARow++;
            badInARow = 0;
            missesInARow = 0;
        } else if (outcome.isAnswered()) {
            goodInARow = 0;
            badInARow++;
            missesInARow = 0;
        } else {
            goodInARow = 0;
            badInARow++;
            missesInARow++;
        }
        HealthState next = next(outcome);
        if (next == state) {
            if (state != HealthState.HEALTHY) {
                reason = explain(state, outcome); // keep "why" current: the latest miss, or the progress back
            }
            return Optional.empty();
        }
        String why = explain(next, outcome);
        Transition transition = new Transition(state, next, now, why);
        state = next;
        since = now;
        reason = why;
        return Optional.of(transition);
    }

    private HealthState next(NopOutcome outcome) {
        if (missesInARow >= thresholds.missesToUnavailable()
                && (state != HealthState.HEALTHY || thresholds.missesToUnavailable() <= thresholds.badPingsToDegrade())) {
            return HealthState.UNAVAILABLE;
        }
        return switch (state) {
            case UNAVAILABLE -> goodInARow >= thresholds.goodPingsToHealthy() ? HealthState.HEALTHY
                    : outcome.isAnswered() ? HealthState.DEGRADED : HealthState.UNAVAILABLE;
            case DEGRADED -> goodInARow >= thresholds.goodPingsToHealthy() ? HealthState.HEALTHY : HealthState.DEGRADED;
            case HEALTHY -> badInARow >= thresholds.badPingsToDegrade() ? HealthState.DEGRADED : HealthState.HEALTHY;
        };
    }

    private String explain(HealthState next, NopOutcome outcome) {
        return switch (next) {
            case HEALTHY -> goodInARow + " good pings in a row";
            case UNAVAILABLE -> missesInARow == 1 ? "1 ping missed: " + outcome.missReason()
                    : missesInARow + " pings missed in a row: " + outcome.missReason();
            case DEGRADED -> !outcome.isAnswered() ? "ping missed: " + outcome.missReason()
                    : outcome.latency().compareTo(thresholds.slowPing()) > 0
                            ? "slow ping: " + millis(outcome.latency()) + " > " + millis(thresholds.slowPing())
                            : "answering: " + goodInARow + " of " + thresholds.goodPingsToHealthy()
                                    + " good pings in a row before healthy";
        };
    }

    private static String millis(Duration d) {
        return String.format("%.1f ms", d.toNanos() / 1e6);
    }

    public HealthState state() {
        return state;
    }

    public Instant since() {
        return since;
    }

    public String reason() {
        return reason;
    }

    public int missesInARow() {
        return missesInARow;
    }
}
