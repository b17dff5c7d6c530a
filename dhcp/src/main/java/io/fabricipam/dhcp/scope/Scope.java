package io.fabricipam.dhcp.scope;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import java.util.List;
import java.util.UUID;

/**
 * A managed network: what addresses and options its clients get. Reservations are kept apart (they
 * change often and there may be many). Lease times are in seconds; {@code renewalTime} (T1) and
 * {@code rebindingTime} (T2) default to 50% and 87.5% of the lease time (RFC 2131 §4.4.5).
 * {@code serverIdentifier} and {@code serverMac}, when null, come from the front end's own address.
 */
public record Scope(
        UUID id,
        String name,
        Ipv4Network network,
        Ipv4Address gateway,
        int vlan,
        List<AddressRange> pools,
        List<AddressRange> exclusions,
        long leaseTime,
        Long renewalTime,
        Long rebindingTime,
        ScopeOptions options,
        Ipv4Address serverIdentifier,
        MacAddress serverMac,
        long version) {

    public static final long DEFAULT_LEASE_TIME = 3600;

    public Scope {
        if (id == null || name == null || network == null) {
            throw new IllegalArgumentException("a scope needs an id, a name and a network");
        }
        pools = pools == null ? List.of() : List.copyOf(pools);
        exclusions = exclusions == null ? List.of() : List.copyOf(exclusions);
        options = options == null ? ScopeOptions.NONE : options;
    }

    public long effectiveRenewalTime() {
        return renewalTime != null ? renewalTime : leaseTime / 2;
    }

    public long effectiveRebindingTime() {
        return rebindingTime != null ? rebindingTime : leaseTime * 7 / 8;
    }

    public boolean inPool(Ipv4Address address) {
        for (AddressRange p : pools) {
            if (p.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean excluded(Ipv4Address address) {
        for (AddressRange e : exclusions) {
            if (e.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public Scope withId(UUID newId) {
        return new Scope(newId, name, network, gateway, vlan, pools, exclusions, leaseTime, renewalTime,
                rebindingTime, options, serverIdentifier, serverMac, version);
    }

    public Scope withVersion(long newVersion) {
        return new Scope(id, name, network, gateway, vlan, pools, exclusions, leaseTime, renewalTime,
                rebindingTime, options, serverIdentifier, serverMac, newVersion);
    }

    public Scope withPools(List<AddressRange> newPools) {
        return new Scope(id, name, network, gateway, vlan, newPools, exclusions, leaseTime, renewalTime,
                rebindingTime, options, serverIdentifier, serverMac, version);
    }

    public Scope withExclusions(List<AddressRange> newExclusions) {
        return new Scope(id, name, network, gateway, vlan, pools, newExclusions, leaseTime, renewalTime,
                rebindingTime, options, serverIdentifier, serverMac, version);
    }
}
