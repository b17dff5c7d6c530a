package io.fabricipam.fabric.storage.target;

/** How a storage target answers its NOP-Out probe (see {@code TargetHealth} for the transitions). */
public enum HealthState {
    /** Answers every ping in time: any login may go there. */
    HEALTHY,
    /** Alive but slow, missing pings or not yet trusted again: logins go there only as a last resort. */
    DEGRADED,
    /** Not answering (or never probed yet): no login goes there. */
    UNAVAILABLE
}
