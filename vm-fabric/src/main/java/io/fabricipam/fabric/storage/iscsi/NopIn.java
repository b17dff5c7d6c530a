package io.fabricipam.fabric.storage.iscsi;

/**
 * NOP-In (RFC 7143 §11.19): the answer to an initiator's ping (its Initiator Task Tag echoed),
 * or the target's own ping (a Target Transfer Tag other than 0xffffffff that wants a NOP-Out back).
 */
public record NopIn(long lun, int initiatorTaskTag, int targetTransferTag, int statSn, int expCmdSn,
                    int maxCmdSn, DataSegment data) implements IscsiMessage {

    static NopIn from(IscsiPdu pdu) {
        return new NopIn(pdu.u64(8), pdu.u32(16), pdu.u32(20), pdu.u32(24), pdu.u32(28), pdu.u32(32), pdu.data());
    }

    /** True when the target pings and expects a NOP-Out carrying {@link #targetTransferTag()}. */
    public boolean wantsAnswer() {
        return targetTransferTag != RESERVED_TAG;
    }

    @Override
    public IscsiPdu toPdu() {
        return new Bhs(IscsiOpcode.NOP_IN, false).u8(1, 0x80).u64(8, lun).u32(16, initiatorTaskTag)
                .u32(20, targetTransferTag).u32(24, statSn).u32(28, expCmdSn).u32(32, maxCmdSn).with(data);
    }
}
