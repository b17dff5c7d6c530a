package io.fabricipam.fabric.storage.iscsi;

/** Logout Response (RFC 7143 §11.15); {@code response} 0 means the connection or session closed successfully. */
public record LogoutResponse(int response, int initiatorTaskTag, int statSn, int expCmdSn, int maxCmdSn,
                             int time2Wait, int time2Retain) implements IscsiMessage {

    static LogoutResponse from(IscsiPdu pdu) {
        return new LogoutResponse(pdu.u8(2), pdu.u32(16), pdu.u32(24), pdu.u32(28), pdu.u32(32), pdu.u16(40),
                pdu.u16(42));
    }

    @Override
    public IscsiPdu toPdu() {
        return new Bhs(IscsiOpcode.LOGOUT_RESPONSE, false).u8(1, 0x80).u8(2, response).u32(16, initiatorTaskTag)
                .u32(24, statSn).u32(28, expCmdSn).u32(32, maxCmdSn).u16(40, time2Wait).u16(42, time2Retain)
                .withoutData();
    }
}
