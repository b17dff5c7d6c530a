package io.fabricipam.api.security.token;

import io.fabricipam.api.audit.AuditContext;
import io.fabricipam.api.problem.FieldError;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.problem.Problems;
import io.fabricipam.api.security.ApiRole;
import io.fabricipam.api.security.TokenRegistry;
import io.fabricipam.api.security.TokenRegistry.CreatedToken;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/** API tokens: create (the value is shown once), list, revoke. Admin only (SecurityConfiguration). */
@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "tokens", description = "Bearer tokens of the API (admin only)")
class TokenController {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final TokenRegistry tokens;

    TokenController(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    @PostMapping
    @Operation(summary = "Create a token", description = "Answers the token's value; it is never shown again.")
    ResponseEntity<CreatedTokenResponse> create(@RequestBody CreateTokenRequest request, HttpServletRequest http) {
        List<FieldError> errors = new ArrayList<>();
        String name = request.name();
        if (name == null || name.isBlank()) {
            errors.add(FieldError.of("name", "is required"));
        } else if (!NAME.matcher(name).matches()) {
            errors.add(FieldError.of("name", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        ApiRole role = ApiRole.parse(request.role());
        if (role == null) {
            errors.add(FieldError.of("role", request.role() == null ? "is required" : "must be reader or admin"));
        }
        if (!errors.isEmpty()) {
            throw problem(ProblemType.VALIDATION_FAILED, "The token request has invalid fields.", http, errors);
        }
        CreatedToken created;
        try {
            created = tokens.create(name, role);
        } catch (TokenRegistry.NameTakenException e) {
            throw problem(ProblemType.DUPLICATE_NAME, "A token named '" + name + "' exists; token names are never reused,"
                    + " even after revocation.", http, List.of(FieldError.of("name", "is taken")));
        }
        AuditContext.describe("created " + role.name().toLowerCase(Locale.ROOT) + " token " + name);
        URI location = URI.create("/api/v1/tokens/" + UriUtils.encodePathSegment(name, "UTF-8"));
        return ResponseEntity.created(location).body(CreatedTokenResponse.of(created));
    }

    @GetMapping
    @Operation(summary = "List tokens", description = "Names, roles and times; never values or hashes.")
    List<TokenResponse> list() {
        return tokens.list().stream().map(TokenResponse::of).toList();
    }

    @GetMapping("/{name}")
    @Operation(summary = "Get a token")
    TokenResponse get(@PathVariable String name, HttpServletRequest http) {
        return tokens.find(name).map(TokenResponse::of).orElseThrow(() -> notFound(name, http));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke a token", description = "Takes effect at once on this node, within"
            + " fabric.api.token-refresh on the others. Revoking a revoked token changes nothing.")
    void revoke(@PathVariable String name, HttpServletRequest http) {
        if (!tokens.revoke(name)) {
            throw notFound(name, http);
        }
        AuditContext.describe("revoked token " + name);
    }

    private static ErrorResponseException notFound(String name, HttpServletRequest http) {
        return problem(ProblemType.NOT_FOUND, "There is no token named '" + name + "'.", http, List.of());
    }

    private static ErrorResponseException problem(ProblemType type, String detail, HttpServletRequest http,
            List<FieldError> errors) {
        return new ErrorResponseException(type.status(), Problems.of(type, detail, http.getRequestURI(), errors), null);
    }
}
