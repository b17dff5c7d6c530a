package io.fabricipam.dhcp.store;

import java.util.UUID;

/**
 * A lease row was refused because its scope does not exist (any more): a scope deleted while changes of
 * its leases were still on their way to the store. Such a row belongs to nothing; the caller decides
 * whether that is an error (the database journal fails the reply) or expected (the file journal drops the
 * row of a deleted scope and keeps its event, see {@code FileLeaseJournal}).
 */
public final class UnknownScopeException extends IllegalStateException {

    private final UUID scopeId;

    /** @param scopeId the scope that does not exist, when the store can tell which one (null otherwise) */
    public UnknownScopeException(UUID scopeId, String message, Throwable cause) {
        super(message, cause);
        this.scopeId = scopeId;
    }

    /** The scope that does not exist, or null when a batch of several scopes was refused. */
    public UUID scopeId() {
        return scopeId;
    }
}
