package io.fabricipam.ovs.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.port.PortBinding;
import io.fabricipam.ovs.port.PortClassifier;
import io.fabricipam.ovs.port.PortRole;
import io.fabricipam.ovs.port.TaggedVlans;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitored rows of the Port and Interface tables, kept current from RFC 7047 table-updates, and
 * the port bindings derived from them. Not thread-safe: owned by the monitor's reader thread.
 */
final class OvsdbTables {

    private static final Logger log = LoggerFactory.getLogger(OvsdbTables.class);

    static final String PORT = "Port";
    static final String INTERFACE = "Interface";

    private final Map<String, JsonNode> ports = new HashMap<>();
    private final Map<String, JsonNode> interfaces = new HashMap<>();
    private final Set<String> reportedBadMacs = new HashSet<>();

    /** Forgets everything: the first reply of a new monitor is a complete snapshot. */
    void clear() {
        ports.clear();
        interfaces.clear();
    }

    /** Applies a {@code <table-updates>} object: a row with "new" is inserted or replaced, without it deleted. */
    void apply(JsonNode tableUpdates) {
        apply(tableUpdates.get(PORT), ports);
        apply(tableUpdates.get(INTERFACE), interfaces);
    }

    private static void apply(JsonNode rowUpdates, Map<String, JsonNode> table) {
        if (rowUpdates == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = rowUpdates.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> row = it.next();
            JsonNode next = row.getValue().get("new");
            if (next == null) {
                table.remove(row.getKey());
            } else {
                table.put(row.getKey(), next);
            }
        }
    }

    /** One binding per interface (by name) that belongs to a port. */
    Map<String, PortBinding> bindings(PortClassifier classifier) {
        Map<String, PortBinding> out = new HashMap<>();
        for (JsonNode port : ports.values()) {
            int tag = (int) OvsdbValues.optionalInt(port.get("tag"), 0);
            String mode = OvsdbValues.string(port.get("vlan_mode"));
            Set<Integer> trunks = new HashSet<>();
            for (long t : OvsdbValues.ints(port.get("trunks"))) {
                if (t >= 1 && t <= 4094) {
                    trunks.add((int) t);
                }
            }
            // OVS: without vlan_mode a port with a tag is an access port and one without is a trunk; a
            // trunk port puts untagged frames on VLAN 0 whatever its tag says.
            boolean access = mode.equals("access") || (mode.isEmpty() && tag != 0);
            int untaggedVlan = mode.equals("trunk") ? 0 : tag;
            TaggedVlans tagged = access ? TaggedVlans.NONE : trunks.isEmpty() ? TaggedVlans.ALL : TaggedVlans.of(trunks);
            Map<String, String> portIds = OvsdbValues.map(port.get("external_ids"));
            for (String uuid : OvsdbValues.uuids(port.get("interfaces"))) {
                JsonNode iface = interfaces.get(uuid);
                if (iface == null) {
                    continue;
                }
                String name = OvsdbValues.string(iface.get("name"));
                String type = OvsdbValues.string(iface.get("type"));
                int ofport = (int) OvsdbValues.optionalInt(iface.get("ofport"), -1);
                Map<String, String> ifaceIds = OvsdbValues.map(iface.get("external_ids"));
                PortRole role = classifier.classify(name, type, ifaceIds, portIds);
                out.put(name, new PortBinding(name, type, ofport, role, untaggedVlan, tagged,
                        attachedMac(name, ifaceIds.get("attached-mac"))));
            }
        }
        return out;
    }

    private MacAddress attachedMac(String port, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            // a typo in external_ids must not take the port's DHCP down: ignore the pin, say so once
            if (reportedBadMacs.add(port + "=" + text)) {
                log.warn("port {}: ignoring external_ids:attached-mac '{}' (not a MAC address)", port, text);
            }
            return null;
        }
    }
}
