package io.fabricipam.dhcp.lease;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.time.Instant;
import java.util.UUID;

/**
 * The lease row of one address in one scope. {@code client} and {@code mac} are null only for a DECLINED
 * address whose decliner we could not tell. {@code seenOn} records where the client was heard (front
 * end, host, port), for operators.
 */
public record Lease(
        UUID scopeId,
        Ipv4Address address,
        ClientKey client,
        MacAddress mac,
        String hostname,
        LeaseState state,
        Instant startedAt,
        Instant expiresAt,
        String seenOn) {

    public Lease {
        if (scopeId == null || address == null || state == null || expiresAt == null) {
            throw new IllegalArgumentException("a lease needs a scope, an address, a state and an expiry");
        }
    }

    /** True when the row holds its address at {@code now}: OFFERED, BOUND or DECLINED, and not yet expired. */
    public boolean holdsAddressAt(Instant now) {
        return state.holdsAddress() && expiresAt.isAfter(now);
    }

    public boolean belongsTo(ClientKey key) {
        return client != null && client.equals(key);
    }

    public Lease withState(LeaseState newState, Instant newExpiry) {
        return new Lease(scopeId, address, client, mac, hostname, newState, startedAt, newExpiry, seenOn);
    }
}
