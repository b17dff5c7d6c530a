package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.codec.DhcpRequest;
import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeValidator;
import io.fabricipam.dhcp.store.LeaseChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of RFC 2131 §4.3 as a function: (request, scope state, our server identifier, time)
 * -> reply or silence, plus the lease changes that go with it. It reads the scope only through
 * {@link ScopeView} and changes nothing itself; the caller applies the changes under the scope lock and
 * commits the durable ones before sending the reply. It does not know which front end the request came
 * through.
 */
public final class DhcpResponder {

    private final ResponderSettings settings;

    public DhcpResponder(ResponderSettings settings) {
        this.settings = settings;
    }

    public Decision respond(DhcpRequest request, ScopeView view, Ipv4Address serverId, String seenOn, Instant now) {
        Exchange x = new Exchange(request, view, serverId, seenOn, now);
        int type = request.messageType().code();
        return switch (type) {
            case 1 -> discover(x);
            case 3 -> request(x);
            case 4 -> decline(x);
            case 7 -> release(x);
            case 8 -> Decision.reply(ReplyBuilder.informAck(request, view.optionSet(), serverId), List.of());
            default -> Decision.silent(DropReason.UNKNOWN_MESSAGE_TYPE, List.of());
        };
    }

    /** §4.3.1: the reservation, else the client's previous address, else the one it asks for, else the next free. */
    private Decision discover(Exchange x) {
        Reservation reservation = x.view.reservationOf(x.request.mac());
        Lease previous = x.view.leaseOf(x.client);
        Ipv4Address chosen = null;
        if (reservation != null && x.availableToClient(reservation.address())) {
            chosen = reservation.address();
        }
        if (chosen == null && previous != null && previous.state() != LeaseState.DECLINED
                && x.availableToClient(previous.address())) {
            chosen = previous.address();
        }
        Ipv4Address wanted = x.request.requestedAddress();
        if (chosen == null && wanted != null && x.availableToClient(wanted)) {
            chosen = wanted;
        }
        if (chosen == null) {
            chosen = x.view.nextFree();
        }
        if (chosen == null) {
            return Decision.silent(DropReason.POOL_EXHAUSTED, List.of());
        }
        List<LeaseChange> changes = new ArrayList<>(2);
        Lease current = x.view.leaseAt(chosen);
        boolean alreadyBound = current != null && current.belongsTo(x.client) && current.state() == LeaseState.BOUND
                && current.holdsAddressAt(x.now);
        if (!alreadyBound) {
            Lease offered = new Lease(x.scope.id(), chosen, x.client, x.request.mac(), x.request.hostname(),
                    LeaseState.OFFERED, x.now, x.now.plus(settings.offerHold()), x.seenOn);
            changes.add(new LeaseChange(current, offered, null, false));
        }
        if (previous != null && previous.state() == LeaseState.OFFERED && !previous.address().equals(chosen)) {
            changes.add(new LeaseChange(previous, previous.withState(LeaseState.EXPIRED, x.now), null, false));
        }
        return Decision.reply(ReplyBuilder.offerOrAck(DhcpMessageType.OFFER, x.request, x.scope, x.view.optionSet(),
                x.serverId, chosen, x.reservedHostname()), changes);
    }

    /** §4.3.2: tell the client's state from server identifier, requested address and ciaddr. */
    private Decision request(Exchange x) {
        Ipv4Address serverId = x.request.serverIdentifier();
        Ipv4Address wanted = x.request.requestedAddress();
        Ipv4Address ciaddr = x.request.ciaddr();
        if (serverId != null) {
            return selecting(x, serverId, wanted != null ? wanted : ciaddr);
        }
        if (wanted != null && ciaddr.isAny()) {
            return initReboot(x, wanted);
        }
        if (!ciaddr.isAny()) {
            return renewingOrRebinding(x, ciaddr);
        }
        return Decision.silent(DropReason.INVALID_REQUEST, List.of());
    }

    /** SELECTING: the client answers an offer; only the chosen server replies, the others free their offer. */
    private Decision selecting(Exchange x, Ipv4Address serverId, Ipv4Address wanted) {
        if (!serverId.equals(x.serverId)) {
            Lease previous = x.view.leaseOf(x.client);
            List<LeaseChange> changes = previous != null && previous.state() == LeaseState.OFFERED
                    ? List.of(new LeaseChange(previous, previous.withState(LeaseState.EXPIRED, x.now), null, false))
                    : List.of();
            return Decision.silent(DropReason.OTHER_SERVER_SELECTED, changes);
        }
        if (wanted == null || wanted.isAny() || !x.scope.network().contains(wanted)) {
            return nak(x, "requested address missing or not on this network");
        }
        if (!x.availableToClient(wanted)) {
            return nak(x, "requested address is not available");
        }
        return bind(x, wanted, LeaseEventType.BOUND, null);
    }

    /**
     * INIT-REBOOT: NAK an address on the wrong network or one this client does not hold; stay silent for a
     * client we have no record of ("peaceful coexistence of non-communicating DHCP servers").
     */
    private Decision initReboot(Exchange x, Ipv4Address wanted) {
        if (!x.scope.network().contains(wanted)) {
            return nak(x, "requested address is on the wrong network");
        }
        Reservation reservation = x.view.reservationOf(x.request.mac());
        Lease previous = x.view.leaseOf(x.client);
        if (reservation == null && previous == null) {
            return Decision.silent(DropReason.UNKNOWN_CLIENT, List.of());
        }
        Ipv4Address expected = reservation != null && x.availableToClient(reservation.address())
                ? reservation.address()
                : previous != null && previous.state() != LeaseState.DECLINED ? previous.address() : null;
        if (!wanted.equals(expected) || !x.availableToClient(wanted)) {
            return nak(x, "requested address is not this client's");
        }
        LeaseEventType type = previous != null && previous.address().equals(wanted) && previous.state() == LeaseState.BOUND
                ? LeaseEventType.RENEWED : LeaseEventType.BOUND;
        return bind(x, wanted, type, null);
    }

    /**
     * RENEWING (unicast) and REBINDING (broadcast) are answered alike: extend the client's own binding; NAK
     * an address off this network, held by someone else, or superseded by a reservation; and take back a
     * free pool address from a client we lost track of (e.g. after a database restore), as Kea does.
     */
    private Decision renewingOrRebinding(Exchange x, Ipv4Address ciaddr) {
        if (!x.scope.network().contains(ciaddr)) {
            return nak(x, "address is on the wrong network");
        }
        Reservation reservation = x.view.reservationOf(x.request.mac());
        if (reservation != null && !reservation.address().equals(ciaddr) && x.availableToClient(reservation.address())) {
            return nak(x, "this client has a reservation for another address");
        }
        Lease previous = x.view.leaseOf(x.client);
        if (previous != null && previous.address().equals(ciaddr) && previous.state() != LeaseState.DECLINED) {
            return x.availableToClient(ciaddr)
                    ? bind(x, ciaddr, previous.state() == LeaseState.BOUND ? LeaseEventType.RENEWED : LeaseEventType.BOUND, null)
                    : nak(x, "address is no longer this client's");
        }
        boolean ownReservation = reservation != null && reservation.address().equals(ciaddr);
        if ((ownReservation || x.view.isDynamic(ciaddr)) && x.availableToClient(ciaddr)) {
            return bind(x, ciaddr, LeaseEventType.BOUND, "binding recovered from a renewing client");
        }
        return nak(x, "address is not available to this client");
    }

    private Decision bind(Exchange x, Ipv4Address address, LeaseEventType type, String detail) {
        List<LeaseChange> changes = new ArrayList<>(2);
        Lease current = x.view.leaseAt(address);
        boolean continuing = current != null && current.belongsTo(x.client) && current.state() == LeaseState.BOUND;
        String hostname = x.request.hostname() != null ? x.request.hostname()
                : x.reservedHostname() != null ? x.reservedHostname() : current != null && continuing ? current.hostname() : null;
        Lease bound = new Lease(x.scope.id(), address, x.client, x.request.mac(), hostname, LeaseState.BOUND,
                continuing ? current.startedAt() : x.now, x.now.plusSeconds(x.scope.leaseTime()), x.seenOn);
        Lease elsewhere = x.view.leaseOf(x.client);
        if (elsewhere != null && !elsewhere.address().equals(address) && elsewhere.holdsAddressAt(x.now)
                && elsewhere.state() != LeaseState.DECLINED) {
            Lease freed = elsewhere.withState(elsewhere.state() == LeaseState.BOUND ? LeaseState.RELEASED : LeaseState.EXPIRED, x.now);
            boolean durable = elsewhere.state() == LeaseState.BOUND;
            changes.add(new LeaseChange(elsewhere, freed,
                    durable ? LeaseEvent.of(LeaseEventType.RELEASED, freed, x.now, "client moved to " + address) : null, durable));
        }
        changes.add(new LeaseChange(current, bound, LeaseEvent.of(type, bound, x.now, detail), true));
        return Decision.reply(ReplyBuilder.offerOrAck(DhcpMessageType.ACK, x.request, x.scope, x.view.optionSet(),
                x.serverId, address, x.reservedHostname()), changes);
    }

    /** §4.3.3: the address goes on probation, held by nobody. Only the client that holds it may decline it. */
    private Decision decline(Exchange x) {
        Ipv4Address serverId = x.request.serverIdentifier();
        if (serverId != null && !serverId.equals(x.serverId)) {
            return Decision.silent(DropReason.NOT_OUR_LEASE, List.of());
        }
        Ipv4Address address = x.request.requestedAddress();
        if (address == null) {
            return Decision.silent(DropReason.INVALID_REQUEST, List.of());
        }
        Lease current = x.view.leaseAt(address);
        if (current == null || !current.belongsTo(x.client) || !current.holdsAddressAt(x.now)
                || current.state() == LeaseState.DECLINED) {
            return Decision.silent(DropReason.NOT_OUR_LEASE, List.of());
        }
        Lease declined = current.withState(LeaseState.DECLINED, x.now.plus(settings.declineProbation()));
        return Decision.handled(List.of(new LeaseChange(current, declined,
                LeaseEvent.of(LeaseEventType.DECLINED, declined, x.now, "client reported the address in use"), true)));
    }

    /** §4.3.4: the client's binding ends; the row remembers the client so it gets the address back. */
    private Decision release(Exchange x) {
        Ipv4Address serverId = x.request.serverIdentifier();
        if (serverId != null && !serverId.equals(x.serverId)) {
            return Decision.silent(DropReason.NOT_OUR_LEASE, List.of());
        }
        Lease current = x.view.leaseAt(x.request.ciaddr());
        if (current == null || !current.belongsTo(x.client)
                || (current.state() != LeaseState.BOUND && current.state() != LeaseState.OFFERED)) {
            return Decision.silent(DropReason.NOT_OUR_LEASE, List.of());
        }
        Lease released = current.withState(LeaseState.RELEASED, x.now);
        return Decision.handled(List.of(new LeaseChange(current, released,
                LeaseEvent.of(LeaseEventType.RELEASED, released, x.now, null), true)));
    }

    private Decision nak(Exchange x, String message) {
        return Decision.reply(ReplyBuilder.nak(x.request, x.serverId, message), List.of());
    }

    /** One request's inputs, and the availability rule every branch shares. */
    private static final class Exchange {
        final DhcpRequest request;
        final ScopeView view;
        final Scope scope;
        final Ipv4Address serverId;
        final String seenOn;
        final Instant now;
        final ClientKey client;

        Exchange(DhcpRequest request, ScopeView view, Ipv4Address serverId, String seenOn, Instant now) {
            this.request = request;
            this.view = view;
            this.scope = view.scope();
            this.serverId = serverId;
            this.seenOn = seenOn;
            this.now = now;
            this.client = ClientKey.of(request.clientIdentifier(), request.mac());
        }

        /**
         * May this client have {@code address} now? It must be a usable host address, either reserved for
         * this client's MAC or dynamic, and no other client's row may hold it (nor a decline).
         */
        boolean availableToClient(Ipv4Address address) {
            if (!scope.network().contains(address) || ScopeValidator.isSpecial(scope, address)) {
                return false;
            }
            Reservation reserved = view.reservationAt(address);
            if (reserved != null) {
                if (!reserved.mac().equals(request.mac())) {
                    return false;
                }
            } else if (!view.isDynamic(address)) {
                return false;
            }
            Lease row = view.leaseAt(address);
            if (row == null || !row.holdsAddressAt(now)) {
                return true;
            }
            return row.belongsTo(client) && row.state() != LeaseState.DECLINED;
        }

        String reservedHostname() {
            Reservation r = view.reservationOf(request.mac());
            return r != null ? r.hostname() : null;
        }
    }
}
