package io.fabricipam.api.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Every kind of problem the API answers with (RFC 9457): a stable type URI, a title and a status.
 * Clients branch on {@link #uri()}; titles may be reworded, type URIs never change.
 */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", "The request body or a parameter could not be read", HttpStatus.BAD_REQUEST),
    VALIDATION_FAILED("validation-failed", "The request is well-formed but some fields are invalid",
            HttpStatus.UNPROCESSABLE_ENTITY),
    UNAUTHORIZED("unauthorized", "A valid bearer token is required", HttpStatus.UNAUTHORIZED),
    FORBIDDEN("forbidden", "The token's role does not allow this", HttpStatus.FORBIDDEN),
    NOT_FOUND("not-found", "No such resource", HttpStatus.NOT_FOUND),
    METHOD_NOT_ALLOWED("method-not-allowed", "The resource does not support this method", HttpStatus.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE("not-acceptable", "The resource cannot be given in the requested media type", HttpStatus.NOT_ACCEPTABLE),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "The request body's media type is not supported",
            HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    CONTENT_TOO_LARGE("content-too-large", "The request body is larger than the server accepts", HttpStatus.PAYLOAD_TOO_LARGE),
    OVERLAPPING_SCOPE("overlapping-scope", "Another scope on the same VLAN overlaps this network", HttpStatus.CONFLICT),
    DUPLICATE_NAME("duplicate-name", "The name is already taken", HttpStatus.CONFLICT),
    ADDRESS_IN_USE("address-in-use", "The address is reserved for or leased to someone else", HttpStatus.CONFLICT),
    LEASES_IN_USE("leases-in-use", "Bound leases would be stranded by this change", HttpStatus.CONFLICT),
    POOL_EXHAUSTED("pool-exhausted", "No free address is left in the scope's pools", HttpStatus.CONFLICT),
    AMBIGUOUS_ADDRESS("ambiguous-address", "The address exists in several scopes; name the scope", HttpStatus.CONFLICT),
    VERSION_CONFLICT("version-conflict", "The resource changed since it was read", HttpStatus.PRECONDITION_FAILED),
    SERVICE_UNAVAILABLE("service-unavailable", "The service cannot answer this now", HttpStatus.SERVICE_UNAVAILABLE),
    COMMIT_PENDING("commit-pending", "The change is made and still being committed; read it again shortly",
            HttpStatus.SERVICE_UNAVAILABLE),
    NOT_LEADER("not-leader", "This host does not lead the cluster; the leader takes this change",
            HttpStatus.TEMPORARY_REDIRECT),
    NO_LEADER("no-leader", "The cluster has no leader this host can reach; try again shortly", HttpStatus.SERVICE_UNAVAILABLE),
    INTERNAL_ERROR("internal-error", "An unexpected error occurred", HttpStatus.INTERNAL_SERVER_ERROR);

    /** Base of every problem type URI. */
    public static final String BASE = "https://fabric-ipam.io/problems/";

    private final URI uri;
    private final String title;
    private final HttpStatus status;

    ProblemType(String slug, String title, HttpStatus status) {
        this.uri = URI.create(BASE + slug);
        this.title = title;
        this.status = status;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    public HttpStatus status() {
        return status;
    }

    /**
     * The type for an error status raised outside our handlers (by the container, a filter, or Spring MVC without
     * a more specific cause): 400 and any 4xx without a type of its own is a malformed request, 5xx an internal error.
     */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 412 -> VERSION_CONFLICT;
            case 413 -> CONTENT_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 422 -> VALIDATION_FAILED;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST;
        };
    }
}
