package io.fabricipam.api.security;

import org.springframework.security.core.AuthenticationException;

/** A bearer token was given but is unknown, revoked or malformed (RFC 6750 {@code invalid_token}). */
final class InvalidTokenException extends AuthenticationException {

    InvalidTokenException(String message) {
        super(message);
    }
}
