package io.fabricipam.dhcp.lease;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.time.Instant;
import java.util.UUID;

/** One entry of a lease's history: who got what, when, where. */
public record LeaseEvent(
        UUID scopeId,
        Ipv4Address address,
        LeaseEventType type,
        ClientKey client,
        MacAddress mac,
        Instant at,
        Instant expiresAt,
        String seenOn,
        String detail) {

    public static LeaseEvent of(LeaseEventType type, Lease lease, Instant at, String detail) {
        return new LeaseEvent(lease.scopeId(), lease.address(), type, lease.client(), lease.mac(), at,
                lease.expiresAt(), lease.seenOn(), detail);
    }
}
