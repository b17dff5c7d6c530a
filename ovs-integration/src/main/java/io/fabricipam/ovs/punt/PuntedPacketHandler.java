package io.fabricipam.ovs.punt;

/**
 * Receives punted guest DHCP. Called on a Netty I/O thread: implementations must only hand the packet
 * over (to a bounded queue or executor, dropping and counting when it is full) and return; anything
 * that may block (the lease store, a database) must happen elsewhere, or every switch on that I/O
 * thread stalls.
 */
@FunctionalInterface
public interface PuntedPacketHandler {

    void onDhcp(PuntedDhcp packet);

    /** Drops everything; the handler until the application installs its own. */
    PuntedPacketHandler NONE = packet -> { };
}
