package io.fabricipam.fabric.storage.redirect;

/**
 * Counters of the redirector since start.
 *
 * @param accepted        connections accepted and served
 * @param overLimit       connections closed at accept because {@code maxConnections} were busy
 * @param timedOut        connections closed because a login or an idle session ran out of time
 * @param malformed       connections closed on bytes that were not iSCSI (bad lengths, broken text)
 * @param disconnected    connections the client closed in the middle of a PDU
 * @param active          connections being served now
 */
public record RedirectorStats(long accepted, long overLimit, long timedOut, long malformed, long disconnected,
                              int active) {
}
