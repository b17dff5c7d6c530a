package io.fabricipam.ovs.flow;

/**
 * The protocol prerequisites of a match, named as {@code ovs-ofctl} abbreviates them. OpenFlow refuses a
 * transport-port match without {@code eth_type} and {@code ip_proto} (OVS: OFPBMC_BAD_PREREQ), so the
 * model only lets UDP ports be matched together with {@link #UDP}, and ARP fields with {@link #ARP}.
 */
public enum FlowProtocol {
    ANY(""),
    IPV4("ip"),
    UDP("udp"),
    ARP("arp");

    private final String ofctlName;

    FlowProtocol(String ofctlName) {
        this.ofctlName = ofctlName;
    }

    public String ofctlName() {
        return ofctlName;
    }
}
