package io.fabricipam.dhcp.store;

import java.util.UUID;

/** A scope changed between read and write (optimistic concurrency). */
public final class StaleScopeException extends RuntimeException {

    public StaleScopeException(UUID id, long expected, long actual) {
        super("scope " + id + " is at version " + actual + ", not " + expected);
    }
}
