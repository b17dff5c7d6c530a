package io.fabricipam.fabric.storage.failback;

import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.IOException;

/**
 * Cuts this host's TCP connections to a target declared unavailable. The redirector only acts
 * at login: an initiator stuck on a hung target (process frozen, network black hole) keeps its
 * connection until its own keep-alive gives up, which for QEMU is 3 missed NOPs 5 s apart. Cut
 * from under it, the initiator reconnects at once, through the redirector, to a healthy target.
 */
public interface ConnectionFence {

    /** Closes the connections; returns how many were closed. */
    int fence(TargetSpec target) throws IOException;

    /** No fencing: initiators on a hung target wait for their own timeouts. */
    ConnectionFence NONE = target -> 0;
}
