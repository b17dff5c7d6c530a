package io.fabricipam.fabric.storage.iscsi;

/**
 * Logout Request (RFC 7143 §11.14). {@code reasonCode} 0 closes the session, 1 the connection,
 * 2 removes the connection for recovery.
 */
public record LogoutRequest(boolean immediate, int reasonCode, int initiatorTaskTag, int connectionId, int cmdSn,
                            int expStatSn) implements IscsiMessage {

    public static final int CLOSE_SESSION = 0;

    static LogoutRequest from(IscsiPdu pdu) {
        return new LogoutRequest(pdu.immediate(), pdu.flags() & 0x7f, pdu.u32(16), pdu.u16(20), pdu.u32(24),
                pdu.u32(28));
    }

    @Override
    public IscsiPdu toPdu() {
        return new Bhs(IscsiOpcode.LOGOUT_REQUEST, immediate).u8(1, 0x80 | (reasonCode & 0x7f))
                .u32(16, initiatorTaskTag).u16(20, connectionId).u32(24, cmdSn).u32(28, expStatSn).withoutData();
    }
}
