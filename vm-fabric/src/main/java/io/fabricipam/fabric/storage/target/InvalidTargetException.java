package io.fabricipam.fabric.storage.target;

import java.util.List;
import java.util.stream.Collectors;

/** A target description broke {@link TargetRules}; {@link #violations()} names every field at fault. */
public class InvalidTargetException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidTargetException(List<Violation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.detail()).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
