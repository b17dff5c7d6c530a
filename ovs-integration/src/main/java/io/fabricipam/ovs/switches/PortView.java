package io.fabricipam.ovs.switches;

import io.fabricipam.ovs.port.PortRole;

/**
 * One switch port for the read model.
 *
 * @param vlan        the network of untagged frames (access tag, 0 = untagged)
 * @param taggedVlans the VLANs carried tagged ("none", "all" or a list)
 * @param attachedMac the pinned MAC, or null
 * @param linkUp      the switch reports link (no LINK_DOWN state)
 * @param adminUp     the port is not administratively down (no PORT_DOWN config)
 * @param intercepted a guest port on at least one managed network: its DHCP is ours
 */
public record PortView(int ofport, String name, PortRole role, int vlan, String taggedVlans, String attachedMac,
                       boolean linkUp, boolean adminUp, boolean intercepted) {
}
