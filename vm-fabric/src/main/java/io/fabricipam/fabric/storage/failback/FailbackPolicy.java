package io.fabricipam.fabric.storage.failback;

import io.fabricipam.fabric.storage.target.HealthState;
import java.time.Duration;
import java.time.Instant;

/**
 * When sessions may move back to one local target: only after it has been HEALTHY for the
 * whole hold-down time, so that a target that flaps does not make initiators bounce between
 * hosts. Pure; the caller passes the health it sees and the time.
 *
 * <ul>
 *   <li>{@link State#LOCAL_NOT_HEALTHY} (initial) -&gt; HOLDING_DOWN when the local target is HEALTHY
 *       (straight to ARMED with a zero hold-down)</li>
 *   <li>{@link State#HOLDING_DOWN} -&gt; ARMED once it has been HEALTHY for the hold-down time;
 *       -&gt; LOCAL_NOT_HEALTHY as soon as it is not (the wait starts again from zero)</li>
 *   <li>{@link State#ARMED}: failback may drop remote sessions; -&gt; LOCAL_NOT_HEALTHY as soon as
 *       the local target is not HEALTHY</li>
 * </ul>
 */
public final class FailbackPolicy {

    public enum State {
        /** The local target is degraded or unavailable: sessions stay where they are. */
        LOCAL_NOT_HEALTHY,
        /** The local target is healthy but has not been for the whole hold-down yet. */
        HOLDING_DOWN,
        /** The local target has been healthy long enough: move sessions back. */
        ARMED
    }

    private final Duration holdDown;
    private State state = State.LOCAL_NOT_HEALTHY;
    private Instant healthySince;

    public FailbackPolicy(Duration holdDown) {
        this.holdDown = holdDown;
    }

    public State observe(HealthState local, Instant now) {
        if (local != HealthState.HEALTHY) {
            state = State.LOCAL_NOT_HEALTHY;
            healthySince = null;
            return state;
        }
        if (state == State.LOCAL_NOT_HEALTHY) {
            healthySince = now;
            state = State.HOLDING_DOWN;
        }
        if (state == State.HOLDING_DOWN && !now.isBefore(healthySince.plus(holdDown))) {
            state = State.ARMED;
        }
        return state;
    }

    public State state() {
        return state;
    }

    /** Since when the local target has been continuously healthy; null when it is not. */
    public Instant healthySince() {
        return healthySince;
    }
}
