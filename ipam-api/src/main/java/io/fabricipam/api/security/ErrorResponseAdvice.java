package io.fabricipam.api.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers the {@link ErrorResponseException}s of the token and audit controllers with their problem body.
 * Scoped to those packages and first in line, so that it neither changes nor is overruled by the API's own
 * advice; that advice, if it extends {@code ResponseEntityExceptionHandler}, handles these exceptions the same
 * way, and this class can then go.
 */
@RestControllerAdvice(basePackages = {"io.fabricipam.api.security", "io.fabricipam.api.audit"})
@Order(Ordered.HIGHEST_PRECEDENCE)
class ErrorResponseAdvice {

    @ExceptionHandler(ErrorResponseException.class)
    ResponseEntity<ProblemDetail> problem(ErrorResponseException e, HttpServletRequest request) {
        ProblemDetail body = e.getBody();
        if (body.getInstance() == null) {
            body.setInstance(Instances.of(request));
        }
        return ResponseEntity.status(e.getStatusCode()).headers(e.getHeaders())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
