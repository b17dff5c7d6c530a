package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.codec.DropReason;

/** Observes the server for metrics and logs; every method must be cheap and must not throw. */
public interface DhcpListener {

    DhcpListener NONE = new DhcpListener() {
    };

    default void received(DhcpMessageType type) {
    }

    default void dropped(DropReason reason) {
    }

    /** A reply left, {@code latencyNanos} after its request arrived. */
    default void replied(DhcpMessageType type, long latencyNanos) {
    }

    /** An option did not fit the client's size limit and was left out. */
    default void optionOmitted(int code) {
    }
}
