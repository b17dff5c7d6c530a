package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.util.Locale;
import java.util.UUID;

/**
 * A filter over live lease rows; null fields match everything. {@code hostname} matches a substring,
 * case-insensitively.
 */
public record LeaseQuery(UUID scopeId, LeaseState state, MacAddress mac, Ipv4Address address, String hostname) {

    public static final LeaseQuery ALL = new LeaseQuery(null, null, null, null, null);

    public boolean matches(Lease lease) {
        return (state == null || lease.state() == state)
                && (mac == null || mac.equals(lease.mac()))
                && (address == null || address.equals(lease.address()))
                && (hostname == null || lease.hostname() != null
                        && lease.hostname().toLowerCase(Locale.ROOT).contains(hostname.toLowerCase(Locale.ROOT)));
    }
}
