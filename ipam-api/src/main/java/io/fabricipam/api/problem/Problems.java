package io.fabricipam.api.problem;

import java.net.URI;
import java.util.List;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problem details of the API's {@link ProblemType}s. */
public final class Problems {

    private Problems() {
    }

    public static ProblemDetail of(ProblemType type, String detail, String instance) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(type.status(), detail);
        p.setType(type.uri());
        p.setTitle(type.title());
        if (instance != null) {
            p.setInstance(URI.create(instance));
        }
        return p;
    }

    public static ProblemDetail of(ProblemType type, String detail, String instance, List<FieldError> errors) {
        ProblemDetail p = of(type, detail, instance);
        if (errors != null && !errors.isEmpty()) {
            p.setProperty("errors", errors);
        }
        return p;
    }
}
