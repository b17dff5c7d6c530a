package io.fabricipam.ovs.port;

import io.fabricipam.ovs.frame.MacAddress;
import java.util.Objects;

/**
 * What OVSDB says about one interface: its role, the network of its untagged frames (the access
 * {@code tag}, 0 for none), the VLANs it carries tagged, and the MAC pinned to it if any
 * ({@code external_ids:attached-mac}, as libvirt and OpenStack set it). {@code ofport} is OVSDB's view,
 * -1 while OVS has not assigned one; the switch's own port list is authoritative for flows.
 */
public record PortBinding(String name, String type, int ofport, PortRole role, int vlan, TaggedVlans tagged,
                          MacAddress attachedMac) {

    public PortBinding {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tagged, "tagged");
    }

    /** A guest on the untagged network {@code vlan} (0 = none), no pinned MAC. */
    public static PortBinding guest(String name, int vlan) {
        return new PortBinding(name, "", -1, PortRole.GUEST, vlan, TaggedVlans.NONE, null);
    }
}
