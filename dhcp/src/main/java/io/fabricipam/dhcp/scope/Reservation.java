package io.fabricipam.dhcp.scope;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.util.UUID;

/** A static binding MAC -> address in a scope; the address may lie inside or outside the pools. */
public record Reservation(UUID scopeId, MacAddress mac, Ipv4Address address, String hostname) {

    public Reservation {
        if (scopeId == null || mac == null || address == null) {
            throw new IllegalArgumentException("a reservation needs a scope, a MAC and an address");
        }
    }
}
