package io.fabricipam.fabric.storage.iscsi;

/**
 * Reject (RFC 7143 §11.17): the target refuses a PDU; the data segment holds the header of the
 * rejected PDU so the initiator can tell which one.
 */
public record Reject(RejectReason reason, int statSn, int expCmdSn, int maxCmdSn, int dataSn,
                     DataSegment rejectedHeader) implements IscsiMessage {

    static Reject from(IscsiPdu pdu) {
        return new Reject(new RejectReason(pdu.u8(2)), pdu.u32(24), pdu.u32(28), pdu.u32(32), pdu.u32(36),
                pdu.data());
    }

    /** A reject of {@code rejected}, quoting its header as RFC 7143 asks. */
    public static Reject of(RejectReason reason, IscsiPdu rejected, int statSn, int expCmdSn, int maxCmdSn) {
        return new Reject(reason, statSn, expCmdSn, maxCmdSn, 0, DataSegment.of(rejected.bhs()));
    }

    @Override
    public IscsiPdu toPdu() {
        return new Bhs(IscsiOpcode.REJECT, false).u8(1, 0x80).u8(2, reason.code()).u32(16, RESERVED_TAG)
                .u32(24, statSn).u32(28, expCmdSn).u32(32, maxCmdSn).u32(36, dataSn).with(rejectedHeader);
    }
}
