package io.fabricipam.dhcp.codec;

import java.util.Locale;

/**
 * Why a packet got no answer. Every drop is counted under one of these names (the metric tag is
 * {@link #tag()}), so an operator can tell a malformed packet from a full pool or a client that chose
 * another server.
 */
public enum DropReason {
    // the packet itself
    TRUNCATED,
    OVERSIZED,
    NOT_BOOTREQUEST,
    BAD_MAGIC_COOKIE,
    OPTION_OVERRUN,
    BAD_OPTION_VALUE,
    MISSING_MESSAGE_TYPE,
    UNKNOWN_MESSAGE_TYPE,
    UNSUPPORTED_HARDWARE,
    NOT_DHCP,
    // policy and state (RFC 2131 §4.3)
    NO_SCOPE,
    POOL_EXHAUSTED,
    OTHER_SERVER_SELECTED,
    UNKNOWN_CLIENT,
    INVALID_REQUEST,
    NOT_OUR_LEASE,
    // the machine
    QUEUE_FULL,
    STORE_FAILURE,
    NOT_LEADER;

    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
