package io.fabricipam.fabric.storage;

/** A target of that name is already registered (REST: 409 Conflict; invalid specs are IllegalArgumentException, 400). */
public class DuplicateTargetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DuplicateTargetException(String name) {
        super("a target named '" + name + "' is already registered");
    }
}
