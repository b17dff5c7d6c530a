package io.fabricipam.fabric.storage.failback;

/**
 * One initiator connection a target serves, as its admin interface reports it. The ids are the
 * driver's own (for tgt: target id, session id, connection id) and mean something only to it.
 */
public record TargetConnection(String targetName, String initiatorName, String initiatorAddress, String targetId,
                               String sessionId, String connectionId) {
}
