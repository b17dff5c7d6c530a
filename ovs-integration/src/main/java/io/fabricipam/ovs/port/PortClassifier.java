package io.fabricipam.ovs.port;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides a port's role from what OVSDB knows, most specific first:
 * <ol>
 *   <li>{@code external_ids:fabric-role=guest|uplink|tunnel} on the Interface, else on the Port;</li>
 *   <li>the configured uplink and tunnel port names;</li>
 *   <li>the Interface type: tunnel types are tunnels, {@code patch} and {@code dpdk} (a physical NIC)
 *       are uplinks, {@code internal} is the bridge's local port;</li>
 *   <li>anything else (a tap, a veth, a vhost-user socket) is a guest.</li>
 * </ol>
 * A physical NIC added as a plain system port looks like a guest to OVS; operators mark it by name or
 * with {@code fabric-role=uplink} (the README says so).
 */
public final class PortClassifier {

    public static final String ROLE_KEY = "fabric-role";

    private static final Set<String> TUNNEL_TYPES =
            Set.of("vxlan", "geneve", "gre", "ip6gre", "erspan", "ip6erspan", "stt", "lisp", "gtpu", "bareudp", "srv6");

    private final Set<String> uplinkNames;
    private final Set<String> tunnelNames;

    public PortClassifier(Set<String> uplinkNames, Set<String> tunnelNames) {
        this.uplinkNames = Set.copyOf(uplinkNames);
        this.tunnelNames = Set.copyOf(tunnelNames);
    }

    public PortRole classify(String name, String type, Map<String, String> interfaceIds, Map<String, String> portIds) {
        PortRole explicit = explicit(interfaceIds.get(ROLE_KEY));
        if (explicit == null) {
            explicit = explicit(portIds.get(ROLE_KEY));
        }
        if (explicit != null) {
            return explicit;
        }
        if (uplinkNames.contains(name)) {
            return PortRole.UPLINK;
        }
        if (tunnelNames.contains(name)) {
            return PortRole.TUNNEL;
        }
        return byType(type);
    }

    /** A role for a port the switch reports but OVSDB does not (yet) know: configured names, else unknown. */
    public PortRole classifyUnknown(String name) {
        if (uplinkNames.contains(name)) {
            return PortRole.UPLINK;
        }
        if (tunnelNames.contains(name)) {
            return PortRole.TUNNEL;
        }
        return PortRole.UNKNOWN;
    }

    static PortRole byType(String type) {
        if (TUNNEL_TYPES.contains(type)) {
            return PortRole.TUNNEL;
        }
        return switch (type) {
            case "patch", "dpdk" -> PortRole.UPLINK;
            case "internal" -> PortRole.LOCAL;
            default -> PortRole.GUEST;
        };
    }

    private static PortRole explicit(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "guest" -> PortRole.GUEST;
            case "uplink" -> PortRole.UPLINK;
            case "tunnel" -> PortRole.TUNNEL;
            default -> null;
        };
    }
}
