package io.fabricipam.fabric.storage.iscsi;

/**
 * The 2-bit login stage of the CSG and NSG fields (RFC 7143 §11.12.3). All four encodings
 * have a constant, so decoding never fails; {@link #RESERVED} is invalid in a login.
 */
public enum LoginStage {
    SECURITY_NEGOTIATION(0),
    OPERATIONAL_NEGOTIATION(1),
    RESERVED(2),
    FULL_FEATURE_PHASE(3);

    private final int code;

    LoginStage(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static LoginStage valueOf(int code) {
        return values()[code & 3];
    }
}
