package io.fabricipam.api.problem;

import io.fabricipam.dhcp.scope.Violation;
import io.fabricipam.dhcp.server.ScopeException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place errors become RFC 9457 problem details: a stable {@code type} per {@link ProblemType}, a
 * human {@code detail}, the request in {@code instance} (path and query) and {@code method}, and for
 * invalid input the fields at fault in {@code errors}.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    /** Retry-After of a 503: the journal commits within milliseconds when it works at all. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** Most conflicting items listed in {@code conflicts}; {@code conflictsOmitted} counts the rest. */
    static final int MAX_CONFLICTS = 50;
    /** Violations spelled out in the detail of a validation problem; {@code errors} lists them all. */
    static final int DETAIL_VIOLATIONS = 5;

    @ExceptionHandler(ScopeException.class)
    ResponseEntity<ProblemDetail> scope(ScopeException e, HttpServletRequest request) {
        ProblemType type = switch (e.kind()) {
            case INVALID -> ProblemType.VALIDATION_FAILED;
            case NOT_FOUND -> ProblemType.NOT_FOUND;
            case OVERLAPPING_SCOPE -> ProblemType.OVERLAPPING_SCOPE;
            case ADDRESS_IN_USE -> ProblemType.ADDRESS_IN_USE;
            case LEASES_IN_USE -> ProblemType.LEASES_IN_USE;
            case POOL_EXHAUSTED -> ProblemType.POOL_EXHAUSTED;
            case DUPLICATE_NAME -> ProblemType.DUPLICATE_NAME;
            case STALE -> ProblemType.VERSION_CONFLICT;
            case UNAVAILABLE -> ProblemType.SERVICE_UNAVAILABLE;
            case COMMIT_PENDING -> ProblemType.COMMIT_PENDING;
        };
        String detail = e.kind() == ScopeException.Kind.INVALID ? invalidDetail(e.violations()) : e.getMessage();
        ProblemDetail p = problem(type, detail, request, fieldErrors(e.violations()));
        if (!e.conflicts().isEmpty()) {
            List<String> conflicts = e.conflicts();
            p.setProperty("conflicts", conflicts.size() > MAX_CONFLICTS ? List.copyOf(conflicts.subList(0, MAX_CONFLICTS)) : conflicts);
            if (conflicts.size() > MAX_CONFLICTS) {
                p.setProperty("conflictsOmitted", conflicts.size() - MAX_CONFLICTS);
            }
        }
        if (type.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            // RFC 9110 §10.2.3: when to try again (or, for commit-pending, to read the outcome)
            return ResponseEntity.status(p.getStatus()).header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                    .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
        }
        return respond(p);
    }

    /** The first few violations in a sentence; every one is in {@code errors} (up to {@link Problems#MAX_ERRORS}). */
    private static String invalidDetail(List<Violation> violations) {
        StringBuilder detail = new StringBuilder();
        int shown = Math.min(violations.size(), DETAIL_VIOLATIONS);
        for (int i = 0; i < shown; i++) {
            Violation v = violations.get(i);
            detail.append(i == 0 ? "" : "; ").append(v.field()).append(": ").append(v.message());
        }
        if (violations.size() > shown) {
            detail.append("; and ").append(violations.size() - shown).append(" more");
        }
        return detail.toString();
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        return respond(problem(e.type(), e.getMessage(), request, e.errors()));
    }

    @ExceptionHandler(ContentTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(ContentTooLargeException e, HttpServletRequest request) {
        return respond(problem(ProblemType.CONTENT_TOO_LARGE, e.getMessage(), request, null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return respond(problem(ProblemType.INTERNAL_ERROR,
                "the server could not complete the request; the error is in its log", request, null));
    }

    /** Spring MVC's own exceptions: give each our type, the request, and readable field errors. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        HttpServletRequest http = ((ServletWebRequest) request).getRequest();
        if (body == null && ex instanceof org.springframework.web.ErrorResponse response) {
            body = response.getBody(); // Spring hands ErrorResponseExceptions over without their body
        }
        if (body instanceof ProblemDetail typed && typed.getType() != null && !"about:blank".equals(typed.getType().toString())) {
            // an ErrorResponseException that already carries one of our problem types: keep it, add the request
            String instance = instance(http);
            if (typed.getInstance() == null && instance != null) {
                typed.setInstance(java.net.URI.create(instance));
            }
            typed.setProperty("method", http.getMethod());
            return ResponseEntity.status(status).headers(headers).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                    .body(typed);
        }
        ProblemType type;
        String detail;
        List<FieldError> errors = null;
        if (ex instanceof NoResourceFoundException) {
            type = ProblemType.NOT_FOUND;
            detail = "no resource at " + Problems.echo(http.getRequestURI());
        } else if (ex instanceof HttpRequestMethodNotSupportedException m) {
            type = ProblemType.METHOD_NOT_ALLOWED;
            detail = m.getMethod() + " is not supported here" + (m.getSupportedHttpMethods() == null ? ""
                    : "; use " + m.getSupportedHttpMethods());
        } else if (ex instanceof HttpMediaTypeNotSupportedException m) {
            type = ProblemType.UNSUPPORTED_MEDIA_TYPE;
            detail = m.getContentType() == null ? "send the body with Content-Type: application/json"
                    : "send " + m.getSupportedMediaTypes() + ", not " + m.getContentType();
        } else if (ex instanceof HttpMediaTypeNotAcceptableException) {
            type = ProblemType.NOT_ACCEPTABLE;
            detail = "this resource is available as application/json";
        } else if (ex instanceof HttpMessageNotReadableException m) {
            return readable(m, headers, http);
        } else if (ex instanceof MissingServletRequestParameterException m) {
            type = ProblemType.MALFORMED_REQUEST;
            detail = "parameter '" + m.getParameterName() + "' is required";
            errors = List.of(FieldError.of(m.getParameterName(), "is required"));
        } else if (ex instanceof MissingRequestHeaderException m) {
            type = ProblemType.MALFORMED_REQUEST;
            detail = "header '" + m.getHeaderName() + "' is required";
            errors = List.of(FieldError.of(m.getHeaderName(), "is required"));
        } else if (status.is4xxClientError()) {
            // Spring's own messages name handler methods and Java types: say what kind of problem it is instead
            type = ProblemType.forStatus(status.value());
            detail = type.title();
        } else {
            log.error("{} {} failed", http.getMethod(), http.getRequestURI(), ex);
            type = ProblemType.INTERNAL_ERROR;
            detail = "the server could not complete the request; the error is in its log";
        }
        ProblemDetail p = problem(type, detail, http, errors);
        return ResponseEntity.status(type.status()).headers(headers).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = "must be " + JsonProblems.describe(e.getRequiredType());
        String detail = "parameter '" + e.getName() + "' " + expected + ", not " + Problems.echo(e.getValue());
        return respond(problem(ProblemType.MALFORMED_REQUEST, detail, request, List.of(FieldError.of(e.getName(), expected))));
    }

    /** Not JSON at all: 400. JSON with an unknown field or a value of the wrong type: 422 naming the field. */
    private ResponseEntity<Object> readable(HttpMessageNotReadableException e, HttpHeaders headers, HttpServletRequest request) {
        ApiException problem = JsonProblems.of(e.getCause());
        ProblemDetail p = problem(problem.type(), problem.getMessage(), request, problem.errors());
        return ResponseEntity.status(p.getStatus()).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    static List<FieldError> fieldErrors(List<Violation> violations) {
        return violations.stream().map(v -> FieldError.of(v.field(), v.message())).toList();
    }

    static ProblemDetail problem(ProblemType type, String detail, HttpServletRequest request, List<FieldError> errors) {
        ProblemDetail p = Problems.of(type, detail, instance(request), errors);
        p.setProperty("method", request.getMethod());
        return p;
    }

    /**
     * The request as {@code instance}: its path and query, or, when they are longer than
     * {@link ProblemErrorReportValve#MAX_INSTANCE} characters, the path alone cut to that length (never in the
     * middle of a %-escape): a problem never echoes a request target of kilobytes back. (Left null, Spring
     * would fill in the whole path when it writes the problem.)
     */
    public static String instance(HttpServletRequest request) {
        String path = request.getRequestURI();
        String query = request.getQueryString();
        String whole = path + (query == null ? "" : "?" + query);
        if (whole.length() <= ProblemErrorReportValve.MAX_INSTANCE) {
            return whole;
        }
        if (path.length() <= ProblemErrorReportValve.MAX_INSTANCE) {
            return path;
        }
        int end = ProblemErrorReportValve.MAX_INSTANCE;
        int percent = path.lastIndexOf('%', end - 1);
        if (percent >= 0 && percent > end - 3) {
            end = percent;
        }
        return path.substring(0, end);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
