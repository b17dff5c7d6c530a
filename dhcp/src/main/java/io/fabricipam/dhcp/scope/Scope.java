package io.fabricipam.dhcp.scope;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A managed network: what addresses and options its clients get. Reservations are kept apart (they
 * change often and there may be many). Lease times are in seconds; {@code renewalTime} (T1) and
 * {@code rebindingTime} (T2) default to 50% and 87.5% of the lease time (RFC 2131 §4.4.5).
 * {@code serverIdentifier} and {@code serverMac}, when null, come from the front end's own address.
 *
 * <p>A value class with the accessors, equality and text of a record over its fourteen components. It is not
 * a record because it also keeps its pools and exclusions as merged, sorted intervals ({@link RangeSet}),
 * built once here, so that {@link #inPool} and {@link #excluded} take O(log n) however many ranges there are
 * (they are asked for every address the DHCP server considers).
 */
public final class Scope {

    public static final long DEFAULT_LEASE_TIME = 3600;

    private final UUID id;
    private final String name;
    private final Ipv4Network network;
    private final Ipv4Address gateway;
    private final int vlan;
    private final List<AddressRange> pools;
    private final List<AddressRange> exclusions;
    private final long leaseTime;
    private final Long renewalTime;
    private final Long rebindingTime;
    private final ScopeOptions options;
    private final Ipv4Address serverIdentifier;
    private final MacAddress serverMac;
    private final long version;
    private final RangeSet poolSet;
    private final RangeSet exclusionSet;

    public Scope(UUID id, String name, Ipv4Network network, Ipv4Address gateway, int vlan, List<AddressRange> pools,
            List<AddressRange> exclusions, long leaseTime, Long renewalTime, Long rebindingTime, ScopeOptions options,
            Ipv4Address serverIdentifier, MacAddress serverMac, long version) {
        if (id == null || name == null || network == null) {
            throw new IllegalArgumentException("a scope needs an id, a name and a network");
        }
        this.id = id;
        this.name = name;
        this.network = network;
        this.gateway = gateway;
        this.vlan = vlan;
        this.pools = pools == null ? List.of() : List.copyOf(pools);
        this.exclusions = exclusions == null ? List.of() : List.copyOf(exclusions);
        this.leaseTime = leaseTime;
        this.renewalTime = renewalTime;
        this.rebindingTime = rebindingTime;
        this.options = options == null ? ScopeOptions.NONE : options;
        this.serverIdentifier = serverIdentifier;
        this.serverMac = serverMac;
        this.version = version;
        this.poolSet = RangeSet.of(this.pools);
        this.exclusionSet = RangeSet.of(this.exclusions);
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Ipv4Network network() {
        return network;
    }

    public Ipv4Address gateway() {
        return gateway;
    }

    public int vlan() {
        return vlan;
    }

    public List<AddressRange> pools() {
        return pools;
    }

    public List<AddressRange> exclusions() {
        return exclusions;
    }

    public long leaseTime() {
        return leaseTime;
    }

    public Long renewalTime() {
        return renewalTime;
    }

    public Long rebindingTime() {
        return rebindingTime;
    }

    public ScopeOptions options() {
        return options;
    }

    public Ipv4Address serverIdentifier() {
        return serverIdentifier;
    }

    public MacAddress serverMac() {
        return serverMac;
    }

    public long version() {
        return version;
    }

    public long effectiveRenewalTime() {
        return renewalTime != null ? renewalTime : leaseTime / 2;
    }

    public long effectiveRebindingTime() {
        return rebindingTime != null ? rebindingTime : leaseTime * 7 / 8;
    }

    /** The pools merged into sorted, disjoint intervals. */
    public RangeSet poolSet() {
        return poolSet;
    }

    /** The exclusions merged into sorted, disjoint intervals. */
    public RangeSet exclusionSet() {
        return exclusionSet;
    }

    /** O(log pools). */
    public boolean inPool(Ipv4Address address) {
        return poolSet.contains(address);
    }

    /** O(log exclusions). */
    public boolean excluded(Ipv4Address address) {
        return exclusionSet.contains(address);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Scope s && vlan == s.vlan && leaseTime == s.leaseTime && version == s.version
                && id.equals(s.id) && name.equals(s.name) && network.equals(s.network)
                && Objects.equals(gateway, s.gateway) && pools.equals(s.pools) && exclusions.equals(s.exclusions)
                && Objects.equals(renewalTime, s.renewalTime) && Objects.equals(rebindingTime, s.rebindingTime)
                && options.equals(s.options) && Objects.equals(serverIdentifier, s.serverIdentifier)
                && Objects.equals(serverMac, s.serverMac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, network, gateway, vlan, pools, exclusions, leaseTime, renewalTime, rebindingTime,
                options, serverIdentifier, serverMac, version);
    }

    @Override
    public String toString() {
        return "Scope[id=" + id + ", name=" + name + ", network=" + network + ", gateway=" + gateway + ", vlan=" + vlan
                + ", pools=" + pools + ", exclusions=" + exclusions + ", leaseTime=" + leaseTime + ", renewalTime="
                + renewalTime + ", rebindingTime=" + rebindingTime + ", options=" + options + ", serverIdentifier="
                + serverIdentifier + ", serverMac=" + serverMac + ", version=" + version + "]";
    }
}
