package io.fabricipam.dhcp.store;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.net.Ipv4Address;
import java.util.UUID;

/**
 * One change to the lease row of an address: {@code before} is the row it replaces (null if none),
 * {@code after} the new row (null deletes it). {@code durable} changes go to the {@link LeaseStore} and,
 * where a reply depends on them, are committed before the reply leaves; others (offers) live in memory.
 */
public record LeaseChange(Lease before, Lease after, LeaseEvent event, boolean durable) {

    public LeaseChange {
        if (before == null && after == null) {
            throw new IllegalArgumentException("a change needs a before or an after row");
        }
    }

    public UUID scopeId() {
        return after != null ? after.scopeId() : before.scopeId();
    }

    public Ipv4Address address() {
        return after != null ? after.address() : before.address();
    }
}
