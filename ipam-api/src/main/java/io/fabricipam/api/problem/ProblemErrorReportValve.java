package io.fabricipam.api.problem;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's last word on an error, as problem+json instead of its HTML page. Tomcat answers some requests
 * itself, before any filter or servlet sees them: a malformed request line, headers larger than
 * {@code server.max-http-request-header-size}, an encoded '/' ({@code %2F}) or NUL ({@code %00}) in the path.
 * Errors that did reach the application were already answered by the advice or {@code /error}; this valve
 * writes only when nothing was written. The detail is fixed text per case: Tomcat's messages echo the request.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorReportValve.class);

    /** Longest request path put in {@code instance}; a longer one is left out. */
    public static final int MAX_INSTANCE = 2048;

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return; // the connection is broken: nobody would read an answer
        }
        ProblemType type = ProblemType.forStatus(status);
        String instance = instance(request.getRequestURI());
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "type", type.uri().toString()).append(',');
        field(json, "title", type.title()).append(',');
        json.append("\"status\":").append(status).append(',');
        field(json, "detail", detail(status, throwable));
        if (instance != null) {
            json.append(',');
            field(json, "instance", instance);
        }
        json.append('}');
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json.toString());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            log.debug("could not write the problem for a {} answered by the container", status, e);
        }
    }

    /** What went wrong, in fixed words: never Tomcat's message, which may quote the request. */
    private static String detail(int status, Throwable throwable) {
        String cause = throwable == null || throwable.getMessage() == null ? "" : throwable.getMessage();
        return switch (status) {
            case 400 -> cause.contains("too large") || cause.contains("too long")
                    ? "the request line or headers are larger than the server accepts"
                    : "the request could not be read: a malformed request line or header, or a path with characters"
                            + " the server does not accept (an encoded '/' or NUL, a control character)";
            case 413 -> "the request body is larger than the server accepts";
            default -> ProblemType.forStatus(status).title();
        };
    }

    /** The request path as {@code instance}, when it is a valid URI reference of printable ASCII; else none. */
    static String instance(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_INSTANCE) {
            return null;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return null;
            }
        }
        try {
            new URI(path);
            return path;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
