package io.fabricipam.fabric.storage.target;

/**
 * ALUA-like preference of a target for new logins, from its health and whether it is on this
 * host, best first: the declaration order is the preference order.
 */
public enum PathState {
    /** Local and healthy: preferred, no network hop between QEMU and its disk. */
    ACTIVE_OPTIMIZED,
    /** Remote and healthy: used while no local target is healthy. */
    ACTIVE_NON_OPTIMIZED,
    /** Degraded, local or remote: used only while no target is healthy. */
    DEGRADED,
    /** Unavailable: never chosen. */
    UNAVAILABLE;

    public static PathState of(HealthState health, boolean local) {
        return switch (health) {
            case HEALTHY -> local ? ACTIVE_OPTIMIZED : ACTIVE_NON_OPTIMIZED;
            case DEGRADED -> DEGRADED;
            case UNAVAILABLE -> UNAVAILABLE;
        };
    }
}
