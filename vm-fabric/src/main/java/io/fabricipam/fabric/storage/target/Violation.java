package io.fabricipam.fabric.storage.target;

/**
 * One broken rule of a target's description: the field at fault ({@code name}, {@code portal},
 * {@code iqns[2]}, {@code admin}) and what is wrong, in words that quote input only cut short.
 */
public record Violation(String field, String detail) {
}
