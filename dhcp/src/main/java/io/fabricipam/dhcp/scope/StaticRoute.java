package io.fabricipam.dhcp.scope;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;

/** One classless static route (option 121, RFC 3442). */
public record StaticRoute(Ipv4Network destination, Ipv4Address router) {

    public StaticRoute {
        if (destination == null || router == null) {
            throw new IllegalArgumentException("a route needs a destination and a router");
        }
    }
}
