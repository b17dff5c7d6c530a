package io.fabricipam.api.problem;

import java.util.List;

/** A problem raised by the API layer itself (bad path variable, version mismatch...), as its {@link ProblemType}. */
public final class ApiException extends RuntimeException {

    private final ProblemType type;
    private final List<FieldError> errors;

    public ApiException(ProblemType type, String detail, List<FieldError> errors) {
        super(detail);
        this.type = type;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static ApiException invalid(String field, String detail) {
        return new ApiException(ProblemType.VALIDATION_FAILED, field + ": " + detail, List.of(FieldError.of(field, detail)));
    }

    public static ApiException malformed(String field, String detail) {
        return new ApiException(ProblemType.MALFORMED_REQUEST, detail, List.of(FieldError.of(field, detail)));
    }

    public static ApiException notFound(String detail) {
        return new ApiException(ProblemType.NOT_FOUND, detail, null);
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
