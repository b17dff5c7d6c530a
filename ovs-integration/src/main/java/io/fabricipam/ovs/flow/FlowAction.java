package io.fabricipam.ovs.flow;

import java.net.Inet4Address;
import java.util.Objects;

/** The apply-actions our pipeline uses. An empty action list means drop, as in OpenFlow. */
public sealed interface FlowAction {

    /** The action as {@code ovs-ofctl} prints it. */
    String toOfctlText();

    /** Send to a switch port. */
    record Output(int port) implements FlowAction {
        public Output {
            if (port <= 0) {
                throw new IllegalArgumentException("not a switch port: " + port);
            }
        }

        @Override
        public String toOfctlText() {
            return "output:" + port;
        }
    }

    /**
     * Send to the controller as a packet-in carrying at most {@code maxLen} bytes. With {@link #WHOLE_PACKET}
     * OVS sends the full frame and no buffer id, which is what a DHCP responder needs.
     */
    record Controller(int maxLen) implements FlowAction {
        public static final int WHOLE_PACKET = 0xffff;

        public Controller {
            if (maxLen < 0 || maxLen > 0xffff) {
                throw new IllegalArgumentException("max_len out of range: " + maxLen);
            }
        }

        @Override
        public String toOfctlText() {
            return "CONTROLLER:" + maxLen;
        }
    }

    /** Hand the packet to the bridge's ordinary L2 switching (VLANs, MAC learning) as if no flow were there. */
    record Normal() implements FlowAction {
        @Override
        public String toOfctlText() {
            return "NORMAL";
        }
    }

    /**
     * Set the remote endpoint of a flow-based tunnel port ({@code options:remote_ip=flow}) for the packet's
     * next output to it. {@code tun_dst} has no standard OXM: on the wire this is an OpenFlow 1.3 set-field
     * carrying the Nicira NXM field, which OVS accepts.
     */
    record SetTunnelDestination(Inet4Address address) implements FlowAction {
        public SetTunnelDestination {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String toOfctlText() {
            return "set_field:" + address.getHostAddress() + "->tun_dst";
        }
    }

    /** Set the tunnel key ({@code tun_id}; the VNI of a VXLAN port with {@code options:key=flow}). */
    record SetTunnelId(long id) implements FlowAction {
        public SetTunnelId {
            if (id < 0 || id > FlowMatch.MAX_TUN_ID) {
                throw new IllegalArgumentException("tunnel id out of range: " + id);
            }
        }

        @Override
        public String toOfctlText() {
            return "set_field:" + FlowMatch.hex(id) + "->tun_id";
        }
    }
}
