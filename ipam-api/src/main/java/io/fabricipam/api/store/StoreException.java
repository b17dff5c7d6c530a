package io.fabricipam.api.store;

/**
 * The database failed in a way the caller cannot fix by changing its request: lost connection, timeout,
 * disk full. Refusals the caller can act on are {@link IllegalArgumentException} (a value the schema does
 * not take) and {@link IllegalStateException} (a conflict with what is stored), as for the in-memory stores.
 */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
