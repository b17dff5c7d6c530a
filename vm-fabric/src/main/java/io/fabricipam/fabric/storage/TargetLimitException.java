package io.fabricipam.fabric.storage;

/** {@link StorageFabric#MAX_TARGETS} targets are registered already (REST: 422; remove one first). */
public class TargetLimitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TargetLimitException(int max) {
        super("at most " + max + " storage targets can be registered; remove one first");
    }
}
