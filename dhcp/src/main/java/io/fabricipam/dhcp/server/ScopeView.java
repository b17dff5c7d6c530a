package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;

/** What {@link DhcpResponder} may read of a scope's state; it changes nothing through this view. */
public interface ScopeView {

    Scope scope();

    ScopeOptionSet optionSet();

    /** The row of {@code address}, any state, or null. */
    Lease leaseAt(Ipv4Address address);

    /** The client's latest row in this scope, any state, or null. */
    Lease leaseOf(ClientKey client);

    Reservation reservationOf(MacAddress mac);

    Reservation reservationAt(Ipv4Address address);

    /** In a pool, not excluded, not the gateway or server address, not reserved. */
    boolean isDynamic(Ipv4Address address);

    /** A dynamic address that no row holds, or null when the pools are exhausted. Does not take it. */
    Ipv4Address nextFree();
}
