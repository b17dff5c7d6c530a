package io.fabricipam.fabric.storage.iscsi;

/**
 * Text Request (RFC 7143 §11.10), e.g. SendTargets=All in a discovery session. An empty request
 * carrying the Target Transfer Tag of a non-final Text Response asks for the rest of the answer.
 */
public record TextRequest(boolean immediate, boolean finalPdu, boolean continues, long lun, int initiatorTaskTag,
                          int targetTransferTag, int cmdSn, int expStatSn, DataSegment data) implements IscsiMessage {

    static TextRequest from(IscsiPdu pdu) {
        return new TextRequest(pdu.immediate(), (pdu.flags() & 0x80) != 0, (pdu.flags() & 0x40) != 0, pdu.u64(8),
                pdu.u32(16), pdu.u32(20), pdu.u32(24), pdu.u32(28), pdu.data());
    }

    public TextParameters parameters() throws IscsiProtocolException {
        return data.parameters();
    }

    @Override
    public IscsiPdu toPdu() {
        return new Bhs(IscsiOpcode.TEXT_REQUEST, immediate).u8(1, (finalPdu ? 0x80 : 0) | (continues ? 0x40 : 0))
                .u64(8, lun).u32(16, initiatorTaskTag).u32(20, targetTransferTag).u32(24, cmdSn)
                .u32(28, expStatSn).with(data);
    }
}
