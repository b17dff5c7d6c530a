package io.fabricipam.ovs.port;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which 802.1Q-tagged VLANs a port carries, with OVS's meaning: a port with an access {@code tag} carries
 * none; a port without one carries the VLANs in its {@code trunks} column, or every VLAN when that column
 * is empty. A guest whose NIC is a trunk sends tagged DHCP, and that request is on the tag's network.
 */
public record TaggedVlans(boolean all, Set<Integer> ids) {

    public static final TaggedVlans NONE = new TaggedVlans(false, Set.of());
    public static final TaggedVlans ALL = new TaggedVlans(true, Set.of());

    public TaggedVlans {
        ids = Set.copyOf(ids);
        if (all && !ids.isEmpty()) {
            throw new IllegalArgumentException("ALL takes no list");
        }
        for (int id : ids) {
            if (id < 1 || id > 4094) {
                throw new IllegalArgumentException("VLAN id out of range: " + id);
            }
        }
    }

    public static TaggedVlans of(Set<Integer> ids) {
        return ids.isEmpty() ? NONE : new TaggedVlans(false, ids);
    }

    /** OVS's rule for a port: access tag set means no tagged VLANs; otherwise {@code trunks}, empty meaning all. */
    public static TaggedVlans forOvsPort(int accessTag, Set<Integer> trunks) {
        if (accessTag != 0) {
            return NONE;
        }
        return trunks.isEmpty() ? ALL : new TaggedVlans(false, trunks);
    }

    public boolean carries(int vlan) {
        return vlan >= 1 && vlan <= 4094 && (all || ids.contains(vlan));
    }

    @Override
    public String toString() {
        return all ? "all" : ids.isEmpty() ? "none" : new TreeSet<>(ids).toString();
    }
}
