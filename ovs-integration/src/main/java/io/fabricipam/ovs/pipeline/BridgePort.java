package io.fabricipam.ovs.pipeline;

import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.port.PortRole;
import io.fabricipam.ovs.port.TaggedVlans;
import java.util.Objects;

/**
 * A port of one bridge as the pipeline sees it.
 *
 * @param ofport      the OpenFlow port number
 * @param name        the OVS port name (for logs and the read model)
 * @param role        only {@link PortRole#GUEST} ports get DHCP flows
 * @param vlan        the network of untagged frames on this port: the OVS access {@code tag}, 0 when none
 * @param tagged      the VLANs whose tagged frames this port carries (trunk guests)
 * @param attachedMac the MAC pinned to the port ({@code external_ids:attached-mac}), or null when not known
 * @param meterId     the meter limiting this port's punted DHCP, {@link io.fabricipam.ovs.flow.FlowSpec#NO_METER} for none
 */
public record BridgePort(int ofport, String name, PortRole role, int vlan, TaggedVlans tagged,
                         MacAddress attachedMac, long meterId) {

    public BridgePort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tagged, "tagged");
        if (vlan < 0 || vlan > 4094) {
            throw new IllegalArgumentException("VLAN out of range: " + vlan);
        }
    }

    /** An access (or untagged) guest port without pinned MAC and without meter: the common test shape. */
    public static BridgePort guest(int ofport, String name, int vlan) {
        return new BridgePort(ofport, name, PortRole.GUEST, vlan, TaggedVlans.NONE, null, 0);
    }

    public static BridgePort infrastructure(int ofport, String name, PortRole role) {
        return new BridgePort(ofport, name, role, 0, TaggedVlans.NONE, null, 0);
    }

    public BridgePort withAttachedMac(MacAddress mac) {
        return new BridgePort(ofport, name, role, vlan, tagged, mac, meterId);
    }

    public BridgePort withMeter(long id) {
        return new BridgePort(ofport, name, role, vlan, tagged, attachedMac, id);
    }

    public BridgePort withTagged(TaggedVlans vlans) {
        return new BridgePort(ofport, name, role, vlan, vlans, attachedMac, meterId);
    }
}
