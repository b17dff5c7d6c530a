package io.fabricipam.ovs.switches;

/**
 * Told when switches come and go, for health and metrics. Called on the switch's flow thread, never on
 * an I/O thread; must not block for long.
 */
public interface SwitchListener {

    /** The handshake finished; flows are about to be reconciled. */
    default void switchConnected(long dpid, String remoteAddress) {
    }

    /** The connection closed (a reconnect of the same switch reports this for the old connection first). */
    default void switchDisconnected(long dpid) {
    }

    /** A reconcile finished; {@code state} says whether the switch now holds the intended flows. */
    default void flowsReconciled(long dpid, FlowState state) {
    }
}
