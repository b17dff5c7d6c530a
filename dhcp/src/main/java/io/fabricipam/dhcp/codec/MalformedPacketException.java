package io.fabricipam.dhcp.codec;

/** A packet the codec refused; the reason is what gets counted. Cheap: no stack trace. */
public final class MalformedPacketException extends Exception {

    private final DropReason reason;

    public MalformedPacketException(DropReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}
