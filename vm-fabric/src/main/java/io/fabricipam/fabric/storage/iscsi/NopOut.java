package io.fabricipam.fabric.storage.iscsi;

/**
 * NOP-Out (RFC 7143 §11.18). A ping from the initiator carries an Initiator Task Tag and a
 * reserved Target Transfer Tag and is answered by a NOP-In with the same tag and data; an
 * answer to a target's ping carries the target's Transfer Tag and the reserved Task Tag.
 */
public record NopOut(boolean immediate, long lun, int initiatorTaskTag, int targetTransferTag, int cmdSn,
                     int expStatSn, DataSegment data) implements IscsiMessage {

    static NopOut from(IscsiPdu pdu) {
        return new NopOut(pdu.immediate(), pdu.u64(8), pdu.u32(16), pdu.u32(20), pdu.u32(24), pdu.u32(28),
                pdu.data());
    }

    /** A ping that wants an answer. */
    public static NopOut ping(int initiatorTaskTag, int cmdSn, int expStatSn, DataSegment data) {
        return new NopOut(true, 0, initiatorTaskTag, RESERVED_TAG, cmdSn, expStatSn, data);
    }

    @Override
    public IscsiPdu toPdu() {
        return new Bhs(IscsiOpcode.NOP_OUT, immediate).u8(1, 0x80).u64(8, lun).u32(16, initiatorTaskTag)
                .u32(20, targetTransferTag).u32(24, cmdSn).u32(28, expStatSn).with(data);
    }
}
