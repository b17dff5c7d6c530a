package io.fabricipam.ovs.switches;

/** Whether a switch holds the flows we intend. */
public enum FlowState {
    /** Connected; the first reconcile has not finished yet. */
    PENDING,
    /** The last reconcile was confirmed by a barrier without errors. */
    SYNCED,
    /** The last reconcile failed (switch errors or no answer); a full resync is scheduled. */
    FAILED
}
