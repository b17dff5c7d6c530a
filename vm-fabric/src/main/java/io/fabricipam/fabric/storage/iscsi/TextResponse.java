package io.fabricipam.fabric.storage.iscsi;

/**
 * Text Response (RFC 7143 §11.11). When the answer does not fit the initiator's
 * MaxRecvDataSegmentLength the target sends it in parts: F=0 and a Target Transfer Tag
 * (tgtd does this without the C bit, so a pair may be split between parts), and the initiator
 * fetches the next part with an empty Text Request carrying that tag.
 */
public record TextResponse(boolean finalPdu, boolean continues, long lun, int initiatorTaskTag,
                           int targetTransferTag, int statSn, int expCmdSn, int maxCmdSn, DataSegment data)
        implements IscsiMessage {

    static TextResponse from(IscsiPdu pdu) {
        return new TextResponse((pdu.flags() & 0x80) != 0, (pdu.flags() & 0x40) != 0, pdu.u64(8), pdu.u32(16),
                pdu.u32(20), pdu.u32(24), pdu.u32(28), pdu.u32(32), pdu.data());
    }

    @Override
    public IscsiPdu toPdu() {
        return new Bhs(IscsiOpcode.TEXT_RESPONSE, false).u8(1, (finalPdu ? 0x80 : 0) | (continues ? 0x40 : 0))
                .u64(8, lun).u32(16, initiatorTaskTag).u32(20, targetTransferTag).u32(24, statSn)
                .u32(28, expCmdSn).u32(32, maxCmdSn).with(data);
    }
}
