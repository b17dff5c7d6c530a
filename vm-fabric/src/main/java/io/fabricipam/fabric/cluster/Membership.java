package io.fabricipam.fabric.cluster;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of the fabric's hosts as this host sees them, sorted by host id.
 *
 * @param hosts  every host that is UP, and the LOST hosts still remembered
 * @param asOf   when this snapshot was taken (this host's clock)
 */
public record Membership(List<Member> hosts, Instant asOf) {

    public static final Membership EMPTY = new Membership(List.of(), Instant.EPOCH);

    public Membership {
        hosts = hosts.stream().sorted(Comparator.comparing(Member::hostId)).toList();
    }

    public Optional<Member> host(String hostId) {
        return hosts.stream().filter(member -> member.hostId().equals(hostId)).findFirst();
    }

    /** The hosts that are UP. */
    public List<Member> up() {
        return hosts.stream().filter(member -> member.state() == HostState.UP).toList();
    }
}
