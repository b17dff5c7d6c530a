package io.fabricipam.ovs.switches;

/**
 * Told when switches come and go, for health and metrics. Called on the switch's flow thread, never on
 * an I/O thread; must not block for long.
 */
public interface SwitchListener {

    /** The handshake finished; flows are about to be reconciled. */
    default void switchConnected(long dpid, String remoteAddress) {
    }

    /**
     * The switch's connection closed and no newer one replaced it. (A switch that connects again while
     * its old connection is still open replaces it: that is reported as a second switchConnected only.)
     */
    default void switchDisconnected(long dpid) {
    }

    /** A reconcile finished; {@code state} says whether the switch now holds the intended flows. */
    default void flowsReconciled(long dpid, FlowState state) {
    }
}
