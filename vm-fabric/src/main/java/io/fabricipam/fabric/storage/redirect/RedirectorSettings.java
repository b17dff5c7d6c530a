package io.fabricipam.fabric.storage.redirect;

import io.fabricipam.fabric.storage.target.Portal;
import java.time.Duration;

/**
 * The redirector's listener and its limits.
 *
 * @param listen             address to bind; QEMU's iSCSI portal ("127.0.0.1:3261" by default)
 * @param advertised         the address discovery answers name as TargetAddress: the listen
 *                           address unless that is a wildcard the initiator cannot dial
 * @param maxConnections     connections served at once; more are closed at accept
 * @param loginTimeout       a login must complete within this time after the connection opens
 * @param idleTimeout        a logged-in discovery session silent this long is closed
 * @param maxDataSegment     the largest data segment read from a client (and announced as
 *                           MaxRecvDataSegmentLength)
 */
public record RedirectorSettings(Portal listen, Portal advertised, int maxConnections, Duration loginTimeout,
                                 Duration idleTimeout, int maxDataSegment) {

    public static final Portal DEFAULT_LISTEN = new Portal("127.0.0.1", 3261);

    public RedirectorSettings {
        if (advertised == null) {
            advertised = listen;
        }
        if (maxConnections < 1 || maxDataSegment < 512) {
            throw new IllegalArgumentException("maxConnections >= 1 and maxDataSegment >= 512 (RFC 7143 minimum)");
        }
    }

    public static RedirectorSettings listeningOn(Portal listen) {
        return new RedirectorSettings(listen, null, 64, Duration.ofSeconds(5), Duration.ofSeconds(30), 8192);
    }

    public RedirectorSettings withLimits(int maxConnections, Duration loginTimeout, Duration idleTimeout) {
        return new RedirectorSettings(listen, advertised, maxConnections, loginTimeout, idleTimeout, maxDataSegment);
    }
}
