package io.fabricipam.dhcp.lease;

/** What happened to a lease, as kept in its history. */
public enum LeaseEventType {
    /** DHCPACK of a new binding (SELECTING, INIT-REBOOT, or a recovered lease). */
    BOUND,
    /** DHCPACK of a RENEWING or REBINDING request, or an INIT-REBOOT of an existing binding. */
    RENEWED,
    RELEASED,
    EXPIRED,
    DECLINED,
    /** A declined address came back from probation. */
    RECLAIMED,
    /** An operator removed the lease through the API. */
    FORCE_RELEASED,
    /** An address was bound to a MAC through the API (a reservation made at NIC creation). */
    RESERVED
}
