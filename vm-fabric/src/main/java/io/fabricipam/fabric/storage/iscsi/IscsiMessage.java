package io.fabricipam.fabric.storage.iscsi;

/**
 * A PDU read as one of the messages of the login, discovery and keep-alive exchanges the
 * storage path speaks. Every other opcode decodes to {@link Unsupported}, which keeps the raw
 * PDU: an unknown opcode is a value to answer (with a Reject) or log, not a crash.
 */
public sealed interface IscsiMessage
        permits LoginRequest, LoginResponse, TextRequest, TextResponse, NopOut, NopIn, LogoutRequest,
        LogoutResponse, Reject, IscsiMessage.Unsupported {

    /** The value of Initiator/Target Task Tags that means "no task" (RFC 7143 §11.18.3). */
    int RESERVED_TAG = 0xffffffff;

    IscsiPdu toPdu();

    /** A PDU of an opcode without a record here, kept as is. */
    record Unsupported(IscsiPdu pdu) implements IscsiMessage {
        @Override
        public IscsiPdu toPdu() {
            return pdu;
        }
    }

    /**
     * Reads the PDU by its opcode. Fails on an AHS for the typed opcodes, because none of them
     * may carry one (only SCSI Command does) and a record would silently drop it.
     */
    static IscsiMessage decode(IscsiPdu pdu) throws IscsiProtocolException {
        IscsiOpcode opcode = pdu.opcode();
        boolean typed = opcode.equals(IscsiOpcode.LOGIN_REQUEST) || opcode.equals(IscsiOpcode.LOGIN_RESPONSE)
                || opcode.equals(IscsiOpcode.TEXT_REQUEST) || opcode.equals(IscsiOpcode.TEXT_RESPONSE)
                || opcode.equals(IscsiOpcode.NOP_OUT) || opcode.equals(IscsiOpcode.NOP_IN)
                || opcode.equals(IscsiOpcode.LOGOUT_REQUEST) || opcode.equals(IscsiOpcode.LOGOUT_RESPONSE)
                || opcode.equals(IscsiOpcode.REJECT);
        if (!typed) {
            return new Unsupported(pdu);
        }
        if (pdu.totalAhsLength() != 0) {
            throw new IscsiProtocolException(opcode + " with an additional header segment");
        }
        return switch (opcode.code()) {
            case 0x03 -> LoginRequest.from(pdu);
            case 0x23 -> LoginResponse.from(pdu);
            case 0x04 -> TextRequest.from(pdu);
            case 0x24 -> TextResponse.from(pdu);
            case 0x00 -> NopOut.from(pdu);
            case 0x20 -> NopIn.from(pdu);
            case 0x06 -> LogoutRequest.from(pdu);
            case 0x26 -> LogoutResponse.from(pdu);
            default -> Reject.from(pdu);
        };
    }
}
