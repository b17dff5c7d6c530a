package io.fabricipam.api.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reach a controller (raised in a filter, or by the container with {@code sendError}) answer
 * problem+json too, instead of Spring Boot's own error JSON. The detail is the type's title: the container's
 * message may name classes or echo the request. Errors Tomcat raises before any servlet (a malformed request
 * line, headers too large, an encoded '/' in the path) are answered by {@link ProblemErrorReportValve}.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        ProblemType type = ProblemType.forStatus(status);
        ProblemDetail p = Problems.of(type, type.title(), uri == null ? null : ProblemErrorReportValve.instance(uri.toString()));
        p.setStatus(status);
        p.setProperty("method", request.getMethod());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
