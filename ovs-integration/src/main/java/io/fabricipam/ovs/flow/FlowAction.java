package io.fabricipam.ovs.flow;

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
}
