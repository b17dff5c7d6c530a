package io.fabricipam.fabric.storage.iscsi;

/**
 * Login Response (RFC 7143 §11.13). A redirect is {@link LoginStatus#TARGET_MOVED_TEMPORARILY}
 * with a TargetAddress key in the data; any non-success status ends the connection.
 */
public record LoginResponse(boolean transit, boolean continues, LoginStage currentStage, LoginStage nextStage,
                            int versionMax, int versionActive, long isid, int tsih, int initiatorTaskTag,
                            int statSn, int expCmdSn, int maxCmdSn, LoginStatus status, DataSegment data)
        implements IscsiMessage {

    static LoginResponse from(IscsiPdu pdu) {
        int flags = pdu.flags();
        return new LoginResponse((flags & 0x80) != 0, (flags & 0x40) != 0, LoginStage.valueOf(flags >> 2),
                LoginStage.valueOf(flags), pdu.u8(2), pdu.u8(3), pdu.u48(8), pdu.u16(14), pdu.u32(16),
                pdu.u32(24), pdu.u32(28), pdu.u32(32), new LoginStatus(pdu.u8(36), pdu.u8(37)), pdu.data());
    }

    public TextParameters parameters() throws IscsiProtocolException {
        return data.parameters();
    }

    @Override
    public IscsiPdu toPdu() {
        int flags = (transit ? 0x80 : 0) | (continues ? 0x40 : 0) | (currentStage.code() << 2) | nextStage.code();
        return new Bhs(IscsiOpcode.LOGIN_RESPONSE, false).u8(1, flags).u8(2, versionMax).u8(3, versionActive)
                .u48(8, isid).u16(14, tsih).u32(16, initiatorTaskTag).u32(24, statSn).u32(28, expCmdSn)
                .u32(32, maxCmdSn).u8(36, status.statusClass()).u8(37, status.detail()).with(data);
    }
}
