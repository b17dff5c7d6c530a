package io.fabricipam.api.scope;

/** A classless static route: {@code {"destination": "10.30.0.0/16", "router": "10.20.0.254"}}. */
public record RouteSpec(String destination, String router) {
}
