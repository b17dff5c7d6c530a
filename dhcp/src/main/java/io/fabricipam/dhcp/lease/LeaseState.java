package io.fabricipam.dhcp.lease;

/**
 * The state of the lease row of one address.
 * <ul>
 * <li>OFFERED: held for a client for a short time after a DHCPOFFER; kept in memory only (losing it in a
 *     crash is harmless: the client's REQUEST is then answered from what is free).</li>
 * <li>BOUND: acknowledged; durable before the DHCPACK leaves.</li>
 * <li>RELEASED, EXPIRED: free again, but the row remembers the client so it gets the same address back.</li>
 * <li>DECLINED: a client reported the address in use (DHCPDECLINE); on probation until {@code expiresAt}.</li>
 * </ul>
 * OFFERED, BOUND and DECLINED hold their address; RELEASED and EXPIRED do not.
 */
public enum LeaseState {
    OFFERED, BOUND, RELEASED, EXPIRED, DECLINED;

    public boolean holdsAddress() {
        return this == OFFERED || this == BOUND || this == DECLINED;
    }
}
