package io.fabricipam.api.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A bearer token on its way to being checked (credentials: the value), or checked (principal: who it is;
 * the value is gone). The parent's {@code toString} masks credentials, so neither form leaks a value into a log.
 */
final class BearerTokenAuthentication extends AbstractAuthenticationToken {

    private final ApiPrincipal principal;
    private String value;

    private BearerTokenAuthentication(String value) {
        super(List.of());
        this.principal = null;
        this.value = value;
        setAuthenticated(false);
    }

    private BearerTokenAuthentication(ApiPrincipal principal) {
        super(List.of(new SimpleGrantedAuthority(principal.role().authority())));
        this.principal = principal;
        this.value = null;
        super.setAuthenticated(true);
    }

    static BearerTokenAuthentication unchecked(String value) {
        return new BearerTokenAuthentication(value);
    }

    static BearerTokenAuthentication checked(ApiPrincipal principal) {
        return new BearerTokenAuthentication(principal);
    }

    @Override
    public Object getCredentials() {
        return value;
    }

    @Override
    public ApiPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal == null ? "" : principal.name();
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("only the token provider marks a token as checked");
        }
        super.setAuthenticated(false);
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        value = null;
    }
}
