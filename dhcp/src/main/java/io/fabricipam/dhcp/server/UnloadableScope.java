package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.scope.Scope;
import java.util.UUID;

/**
 * A stored scope that could not be loaded at start (a value this version refuses, a row it cannot read):
 * not served, reported (log, health, API) and kept for the operator to fix (PUT) or delete.
 *
 * @param scope   the scope as read from the store, or null when its row itself could not be read
 * @param version the stored version, which a fix must name as any update does
 * @param reason  why it could not be loaded, for operators (control characters escaped)
 */
public record UnloadableScope(UUID id, String name, long version, Scope scope, String reason) {
}
