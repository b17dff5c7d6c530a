package io.fabricipam.fabric.storage.iscsi;

/**
 * Login Request (RFC 7143 §11.12). Always sent immediate. {@code continues} is the C bit: the
 * key=value text goes on in the next Login Request, and the target answers this one with an
 * empty Login Response.
 *
 * @param transit         T bit: the initiator is ready to move to {@code nextStage}
 * @param isid            the 48-bit initiator part of the session id
 * @param tsih            0 for a new session
 */
public record LoginRequest(boolean transit, boolean continues, LoginStage currentStage, LoginStage nextStage,
                           int versionMax, int versionMin, long isid, int tsih, int initiatorTaskTag,
                           int connectionId, int cmdSn, int expStatSn, DataSegment data) implements IscsiMessage {

    static LoginRequest from(IscsiPdu pdu) {
        int flags = pdu.flags();
        return new LoginRequest((flags & 0x80) != 0, (flags & 0x40) != 0, LoginStage.valueOf(flags >> 2),
                LoginStage.valueOf(flags), pdu.u8(2), pdu.u8(3), pdu.u48(8), pdu.u16(14), pdu.u32(16),
                pdu.u16(20), pdu.u32(24), pdu.u32(28), pdu.data());
    }

    /** The key=value text of this PDU alone; with the C bit set it may end mid-pair and fail to parse. */
    public TextParameters parameters() throws IscsiProtocolException {
        return data.parameters();
    }

    @Override
    public IscsiPdu toPdu() {
        int flags = (transit ? 0x80 : 0) | (continues ? 0x40 : 0) | (currentStage.code() << 2) | nextStage.code();
        return new Bhs(IscsiOpcode.LOGIN_REQUEST, true).u8(1, flags).u8(2, versionMax).u8(3, versionMin)
                .u48(8, isid).u16(14, tsih).u32(16, initiatorTaskTag).u16(20, connectionId)
                .u32(24, cmdSn).u32(28, expStatSn).with(data);
    }
}
