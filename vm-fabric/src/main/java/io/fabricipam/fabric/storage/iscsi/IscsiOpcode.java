package io.fabricipam.fabric.storage.iscsi;

import java.util.Map;

/**
 * The 6-bit opcode of an iSCSI PDU (RFC 7143 §11.2.1.2), as an open value: an opcode this
 * class has no constant for is still a value ({@link #valueOf(int)} never throws for 0..63),
 * so a codec can carry and report PDUs it does not understand instead of failing on them.
 */
public record IscsiOpcode(int code) {

    public static final IscsiOpcode NOP_OUT = new IscsiOpcode(0x00);
    public static final IscsiOpcode SCSI_COMMAND = new IscsiOpcode(0x01);
    public static final IscsiOpcode TASK_MANAGEMENT_REQUEST = new IscsiOpcode(0x02);
    public static final IscsiOpcode LOGIN_REQUEST = new IscsiOpcode(0x03);
    public static final IscsiOpcode TEXT_REQUEST = new IscsiOpcode(0x04);
    public static final IscsiOpcode DATA_OUT = new IscsiOpcode(0x05);
    public static final IscsiOpcode LOGOUT_REQUEST = new IscsiOpcode(0x06);
    public static final IscsiOpcode SNACK_REQUEST = new IscsiOpcode(0x10);
    public static final IscsiOpcode NOP_IN = new IscsiOpcode(0x20);
    public static final IscsiOpcode SCSI_RESPONSE = new IscsiOpcode(0x21);
    public static final IscsiOpcode TASK_MANAGEMENT_RESPONSE = new IscsiOpcode(0x22);
    public static final IscsiOpcode LOGIN_RESPONSE = new IscsiOpcode(0x23);
    public static final IscsiOpcode TEXT_RESPONSE = new IscsiOpcode(0x24);
    public static final IscsiOpcode DATA_IN = new IscsiOpcode(0x25);
    public static final IscsiOpcode LOGOUT_RESPONSE = new IscsiOpcode(0x26);
    public static final IscsiOpcode READY_TO_TRANSFER = new IscsiOpcode(0x31);
    public static final IscsiOpcode ASYNC_MESSAGE = new IscsiOpcode(0x32);
    public static final IscsiOpcode REJECT = new IscsiOpcode(0x3f);

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x00, "NOP-Out"), Map.entry(0x01, "SCSI Command"),
            Map.entry(0x02, "Task Management Request"), Map.entry(0x03, "Login Request"),
            Map.entry(0x04, "Text Request"), Map.entry(0x05, "SCSI Data-Out"),
            Map.entry(0x06, "Logout Request"), Map.entry(0x10, "SNACK Request"),
            Map.entry(0x20, "NOP-In"), Map.entry(0x21, "SCSI Response"),
            Map.entry(0x22, "Task Management Response"), Map.entry(0x23, "Login Response"),
            Map.entry(0x24, "Text Response"), Map.entry(0x25, "SCSI Data-In"),
            Map.entry(0x26, "Logout Response"), Map.entry(0x31, "Ready To Transfer"),
            Map.entry(0x32, "Asynchronous Message"), Map.entry(0x3f, "Reject"));

    public IscsiOpcode {
        if (code < 0 || code > 0x3f) {
            throw new IllegalArgumentException("an iSCSI opcode has 6 bits: " + code);
        }
    }

    public static IscsiOpcode valueOf(int code) {
        return new IscsiOpcode(code & 0x3f);
    }

    /** Initiator opcodes are 0x00-0x1f, target opcodes 0x20-0x3f (RFC 7143 §11.2.1.2). */
    public boolean sentByInitiator() {
        return code < 0x20;
    }

    public boolean known() {
        return NAMES.containsKey(code);
    }

    public String name() {
        return NAMES.getOrDefault(code, "unknown");
    }

    @Override
    public String toString() {
        return String.format("%s(0x%02x)", name(), code);
    }
}
