package io.fabricipam.api.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/**
 * Checks bearer tokens against the {@link TokenRegistry}. Being an {@link AuthenticationProvider} bean it
 * also keeps Boot from creating its default user, whose generated password it would log.
 */
final class TokenAuthenticationProvider implements AuthenticationProvider {

    private final TokenRegistry registry;

    TokenAuthenticationProvider(TokenRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Object value = authentication.getCredentials();
        return registry.authenticate(value instanceof String s ? s : null)
                .map(BearerTokenAuthentication::checked)
                .orElseThrow(() -> new InvalidTokenException("The bearer token is unknown, revoked or malformed"));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthentication.class.isAssignableFrom(authentication);
    }
}
