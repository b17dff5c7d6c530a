package io.fabricipam.dhcp.codec;

/**
 * The DHCP message type (option 53) as an open value: a code we do not know is a value, not an exception,
 * so that it can be counted and dropped by name.
 */
public record DhcpMessageType(int code) {

    public static final DhcpMessageType DISCOVER = new DhcpMessageType(1);
    public static final DhcpMessageType OFFER = new DhcpMessageType(2);
    public static final DhcpMessageType REQUEST = new DhcpMessageType(3);
    public static final DhcpMessageType DECLINE = new DhcpMessageType(4);
    public static final DhcpMessageType ACK = new DhcpMessageType(5);
    public static final DhcpMessageType NAK = new DhcpMessageType(6);
    public static final DhcpMessageType RELEASE = new DhcpMessageType(7);
    public static final DhcpMessageType INFORM = new DhcpMessageType(8);

    private static final String[] NAMES = {
        "UNKNOWN", "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM",
        "FORCERENEW", "LEASEQUERY", "LEASEUNASSIGNED", "LEASEUNKNOWN", "LEASEACTIVE"
    };

    public DhcpMessageType {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("message type is one byte: " + code);
        }
    }

    /** Types a client sends to a server (RFC 2131 Table 2). */
    public boolean isClientToServer() {
        return code == 1 || code == 3 || code == 4 || code == 7 || code == 8;
    }

    public String name() {
        return code > 0 && code < NAMES.length ? NAMES[code] : "TYPE_" + code;
    }

    @Override
    public String toString() {
        return name();
    }
}
