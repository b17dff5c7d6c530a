package io.fabricipam.api.scope;

/** An address range as written by operators: {@code {"start": "10.20.0.100", "end": "10.20.0.199"}}. */
public record RangeSpec(String start, String end) {
}
