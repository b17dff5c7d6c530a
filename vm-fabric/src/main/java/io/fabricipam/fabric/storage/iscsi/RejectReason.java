package io.fabricipam.fabric.storage.iscsi;

import java.util.Map;

/** The reason byte of a Reject PDU (RFC 7143 §11.17.1), an open value. */
public record RejectReason(int code) {

    public static final RejectReason DATA_DIGEST_ERROR = new RejectReason(0x02);
    public static final RejectReason SNACK_REJECT = new RejectReason(0x03);
    public static final RejectReason PROTOCOL_ERROR = new RejectReason(0x04);
    public static final RejectReason COMMAND_NOT_SUPPORTED = new RejectReason(0x05);
    public static final RejectReason IMMEDIATE_COMMAND_REJECT = new RejectReason(0x06);
    public static final RejectReason TASK_IN_PROGRESS = new RejectReason(0x07);
    public static final RejectReason INVALID_DATA_ACK = new RejectReason(0x08);
    public static final RejectReason INVALID_PDU_FIELD = new RejectReason(0x09);
    public static final RejectReason LONG_OPERATION_REJECT = new RejectReason(0x0a);
    public static final RejectReason DEPRECATED_NEGOTIATION_RESET = new RejectReason(0x0b);
    public static final RejectReason WAITING_FOR_LOGOUT = new RejectReason(0x0c);

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x02, "data digest error"), Map.entry(0x03, "SNACK reject"),
            Map.entry(0x04, "protocol error"), Map.entry(0x05, "command not supported"),
            Map.entry(0x06, "immediate command reject"), Map.entry(0x07, "task in progress"),
            Map.entry(0x08, "invalid data ack"), Map.entry(0x09, "invalid PDU field"),
            Map.entry(0x0a, "long operation reject"), Map.entry(0x0b, "negotiation reset"),
            Map.entry(0x0c, "waiting for logout"));

    public RejectReason {
        if (code < 0 || code > 0xff) {
            throw new IllegalArgumentException("a reject reason is a byte: " + code);
        }
    }

    public String name() {
        return NAMES.getOrDefault(code, "unknown");
    }

    @Override
    public String toString() {
        return String.format("0x%02x (%s)", code, name());
    }
}
