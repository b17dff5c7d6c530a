package io.fabricipam.dhcp.scope;

/** One thing wrong with a scope or reservation: the field at fault (e.g. {@code pools[1].end}) and why. */
public record Violation(String field, String message) {
}
