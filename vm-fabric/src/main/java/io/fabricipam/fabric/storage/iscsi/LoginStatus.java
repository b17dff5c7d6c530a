package io.fabricipam.fabric.storage.iscsi;

import java.util.Map;

/**
 * Status-Class and Status-Detail of a Login Response (RFC 7143 §11.13.5), an open value: any
 * pair decodes, the constants name the ones the storage path sends or meets.
 */
public record LoginStatus(int statusClass, int detail) {

    public static final LoginStatus SUCCESS = new LoginStatus(0, 0);
    /** 0x0101: the initiator logs in again at the TargetAddress given; the only redirect libiscsi/QEMU follow. */
    public static final LoginStatus TARGET_MOVED_TEMPORARILY = new LoginStatus(1, 1);
    /** 0x0102: rejected by libiscsi 1.19 and QEMU 7.2; never send it. */
    public static final LoginStatus TARGET_MOVED_PERMANENTLY = new LoginStatus(1, 2);
    public static final LoginStatus INITIATOR_ERROR = new LoginStatus(2, 0);
    public static final LoginStatus AUTHENTICATION_FAILURE = new LoginStatus(2, 1);
    public static final LoginStatus AUTHORIZATION_FAILURE = new LoginStatus(2, 2);
    public static final LoginStatus NOT_FOUND = new LoginStatus(2, 3);
    public static final LoginStatus TARGET_REMOVED = new LoginStatus(2, 4);
    public static final LoginStatus UNSUPPORTED_VERSION = new LoginStatus(2, 5);
    public static final LoginStatus TOO_MANY_CONNECTIONS = new LoginStatus(2, 6);
    public static final LoginStatus MISSING_PARAMETER = new LoginStatus(2, 7);
    public static final LoginStatus CANNOT_INCLUDE_IN_SESSION = new LoginStatus(2, 8);
    public static final LoginStatus SESSION_TYPE_NOT_SUPPORTED = new LoginStatus(2, 9);
    public static final LoginStatus SESSION_DOES_NOT_EXIST = new LoginStatus(2, 10);
    public static final LoginStatus INVALID_DURING_LOGIN = new LoginStatus(2, 11);
    public static final LoginStatus TARGET_ERROR = new LoginStatus(3, 0);
    public static final LoginStatus SERVICE_UNAVAILABLE = new LoginStatus(3, 1);
    public static final LoginStatus OUT_OF_RESOURCES = new LoginStatus(3, 2);

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x0000, "success"), Map.entry(0x0101, "target moved temporarily"),
            Map.entry(0x0102, "target moved permanently"), Map.entry(0x0200, "initiator error"),
            Map.entry(0x0201, "authentication failure"), Map.entry(0x0202, "authorization failure"),
            Map.entry(0x0203, "not found"), Map.entry(0x0204, "target removed"),
            Map.entry(0x0205, "unsupported version"), Map.entry(0x0206, "too many connections"),
            Map.entry(0x0207, "missing parameter"), Map.entry(0x0208, "can't include in session"),
            Map.entry(0x0209, "session type not supported"), Map.entry(0x020a, "session does not exist"),
            Map.entry(0x020b, "invalid during login"), Map.entry(0x0300, "target error"),
            Map.entry(0x0301, "service unavailable"), Map.entry(0x0302, "out of resources"));

    public LoginStatus {
        if (statusClass < 0 || statusClass > 0xff || detail < 0 || detail > 0xff) {
            throw new IllegalArgumentException("status class and detail are bytes");
        }
    }

    /** The two bytes as one number, e.g. 0x0101. */
    public int code() {
        return (statusClass << 8) | detail;
    }

    public boolean isSuccess() {
        return statusClass == 0;
    }

    public boolean isRedirect() {
        return statusClass == 1;
    }

    public String name() {
        return NAMES.getOrDefault(code(), "unknown");
    }

    @Override
    public String toString() {
        return String.format("0x%04x (%s)", code(), name());
    }
}
