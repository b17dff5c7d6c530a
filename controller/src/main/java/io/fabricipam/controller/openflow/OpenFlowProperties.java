package io.fabricipam.controller.openflow;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fabric.openflow.*}: the OpenFlow 1.3 controller that intercepts guest DHCP on OVS bridges.
 *
 * @param enabled     listen for switches at all
 * @param address     listen address
 * @param port        6653 by default; bridges connect with {@code ovs-vsctl set-controller BR tcp:HOST:6653}
 * @param tls         PEM files for {@code ssl:} connections (the same files OVS uses); all three or none
 * @param uplinks     port names never treated as guests (also {@code external_ids:fabric-role=uplink})
 * @param tunnels     tunnel port names (also any vxlan/geneve/gre interface, or {@code fabric-role=tunnel})
 * @param ovsdbSocket OVSDB's unix socket, read for each port's VLAN tag and attached MAC ("none": off)
 * @param serverMac   the source MAC of our replies unless the scope sets {@code serverMac}
 * @param mtu         the largest IP packet a reply may be on guest links
 * @param arpResponder answer guests' ARP for a scope's server identifier when it is not the scope's gateway
 *                    (no host owns it, and unicast renewals need its MAC); the gateway is never answered for
 */
@ConfigurationProperties("fabric.openflow")
public record OpenFlowProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0.0.0.0") String address,
        @DefaultValue("6653") int port,
        Tls tls,
        @DefaultValue("5s") Duration echoInterval,
        @DefaultValue("3") int echoMisses,
        @DefaultValue Meters meters,
        List<String> uplinks,
        List<String> tunnels,
        @DefaultValue("/var/run/openvswitch/db.sock") String ovsdbSocket,
        @DefaultValue("02:fa:b1:dc:00:01") String serverMac,
        @DefaultValue("1500") int mtu,
        @DefaultValue("true") boolean arpResponder) {

    public OpenFlowProperties {
        uplinks = uplinks == null ? List.of() : List.copyOf(uplinks);
        tunnels = tunnels == null ? List.of() : List.copyOf(tunnels);
    }

    /** PEM private key (PKCS#8), certificate and CA certificate. */
    public record Tls(String privateKey, String certificate, String caCertificate) {
    }

    /** Per guest port: at most {@code rate} punted DHCP packets a second, with a burst of {@code burst}. */
    public record Meters(@DefaultValue("true") boolean enabled, @DefaultValue("100") long rate,
            @DefaultValue("50") long burst) {
    }
}
