package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.codec.DhcpRequest;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.scope.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live scopes as the DHCP workers see them: which scopes serve a request's link, in which order, and
 * our server identifier there. Reads take no lock (an immutable list behind a volatile field, a concurrent
 * map). It is written only by {@link ScopeAdministration}, under that class's lock, so there is one writer;
 * a scope leaves this directory before it is retired, so once a deletion has begun no new request is
 * routed to it.
 */
public final class ScopeDirectory {

    private static final Comparator<ScopeState> NETWORK_ORDER = Comparator
            .comparing((ScopeState s) -> s.scope().network().address()).thenComparing(s -> s.scope().name());

    private final Map<UUID, ScopeState> states = new ConcurrentHashMap<>();
    private volatile List<ScopeState> ordered = List.of();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** The live scopes in network order. */
    public List<ScopeState> states() {
        return ordered;
    }

    public Optional<ScopeState> state(UUID id) {
        return Optional.ofNullable(states.get(id));
    }

    public Optional<ScopeState> stateByName(String name) {
        return ordered.stream().filter(s -> s.scope().name().equals(name)).findFirst();
    }

    /**
     * Called after every change to the set of scopes or their configuration (load, create, update, delete),
     * on the changing thread, holding no scope lock; e.g. the OpenFlow front end re-derives the VLANs it
     * intercepts. Must be quick.
     */
    public void addChangeListener(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * The scopes that serve the request's link, the one holding the client's address first: by giaddr for
     * relayed requests, else by the VLAN the front end saw, else by our addresses on the receiving link.
     * Several scopes on one link are a shared network: the caller tries the next only when one is full.
     */
    public List<ScopeState> candidates(DhcpRequest request, RequestContext context) {
        List<ScopeState> found = new ArrayList<>(2);
        for (ScopeState s : ordered) {
            Scope scope = s.scope();
            boolean serves;
            if (request.isRelayed()) {
                serves = scope.network().contains(request.giaddr());
            } else if (context.vlan() != null) {
                serves = scope.vlan() == context.vlan();
            } else {
                serves = context.localAddresses().stream().anyMatch(scope.network()::contains);
            }
            if (serves) {
                found.add(s);
            }
        }
        if (found.size() > 1) {
            Ipv4Address hint = !request.ciaddr().isAny() ? request.ciaddr() : request.requestedAddress();
            if (hint != null) {
                found.sort(Comparator.comparing(s -> s.scope().network().contains(hint) ? 0 : 1));
            }
        }
        return found;
    }

    /**
     * Server identifier: the scope's own, else our address on its network, else our first address on the
     * link (a relayed network), else the gateway, else the network's last host address.
     */
    public static Ipv4Address serverIdentifier(Scope scope, RequestContext context) {
        if (scope.serverIdentifier() != null) {
            return scope.serverIdentifier();
        }
        for (Ipv4Address a : context.localAddresses()) {
            if (scope.network().contains(a)) {
                return a;
            }
        }
        if (!context.localAddresses().isEmpty()) {
            return context.localAddresses().get(0);
        }
        if (scope.gateway() != null) {
            return scope.gateway();
        }
        return scope.network().broadcast().plus(-1);
    }

    /** Adds the scope, or replaces the state of the same id (the single writer only). */
    void put(ScopeState state) {
        states.put(state.scope().id(), state);
        changed();
    }

    /** Routes no more requests to the scope (the single writer only). */
    void remove(UUID id) {
        if (states.remove(id) != null) {
            changed();
        }
    }

    /** Replaces every scope at once, as a load does (the single writer only). */
    void replaceAll(Collection<ScopeState> all) {
        states.clear();
        for (ScopeState s : all) {
            states.put(s.scope().id(), s);
        }
        changed();
    }

    /** A scope's configuration changed in place: re-sort and tell the listeners (the single writer only). */
    void changed() {
        List<ScopeState> list = new ArrayList<>(states.values());
        list.sort(NETWORK_ORDER);
        ordered = List.copyOf(list);
        for (Runnable listener : listeners) {
            listener.run();
        }
    }
}
