package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.codec.DhcpReply;
import io.fabricipam.dhcp.codec.DhcpRequest;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.store.LeaseChange;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server core shared by every front end: picks the scope ({@link ScopeDirectory}), asks the
 * {@link DhcpResponder} under the scope's lock, applies and journals the lease changes, and completes with
 * the reply once the changes it depends on are committed. Never blocks the caller on the database: the
 * returned future completes on the journal's thread, and no store I/O ever runs under a scope lock. A scope
 * found retired under its lock (being deleted) decides nothing: the request drops with NO_SCOPE.
 */
public final class DhcpServer {

    private static final Logger log = LoggerFactory.getLogger(DhcpServer.class);
    /** One line per acknowledged lease at DEBUG: {@code logging.level.io.fabricipam.leases=DEBUG}. */
    private static final Logger leaseLog = LoggerFactory.getLogger("io.fabricipam.leases");

    /**
     * The result of one request: a reply to send, or why there is none ({@code dropped} null: none needed),
     * and the scope that decided (null when none did), whose server MAC a link-layer front end answers from.
     */
    public record Outcome(DhcpReply reply, DropReason dropped, Scope scope) {
    }

    private final ScopeDirectory directory;
    private final LeaseJournal journal;
    private final DhcpResponder responder;
    private final Clock clock;
    private final DhcpListener listener;
    private volatile boolean active = true;

    public DhcpServer(ScopeDirectory directory, LeaseJournal journal, DhcpResponder responder, Clock clock,
            DhcpListener listener) {
        this.directory = directory;
        this.journal = journal;
        this.responder = responder;
        this.clock = clock;
        this.listener = listener;
    }

    /** Only the leader answers; others drop with {@link DropReason#NOT_LEADER}. */
    public void setActive(boolean active) {
        this.active = active;
    }

    public boolean isActive() {
        return active;
    }

    public CompletableFuture<Outcome> handle(DhcpRequest request, RequestContext context) {
        listener.received(request.messageType());
        if (!active) {
            return dropped(DropReason.NOT_LEADER);
        }
        List<ScopeState> candidates = directory.candidates(request, context);
        Decision decision = null;
        ScopeState state = null;
        CompletableFuture<Void> committed = null;
        for (ScopeState candidate : candidates) {
            Ipv4Address serverId = ScopeDirectory.serverIdentifier(candidate.scope(), context);
            Instant now = clock.instant();
            candidate.lock().lock();
            try {
                if (candidate.isRetired()) {
                    continue; // being deleted (or moved) since it was picked: it decides nothing more
                }
                state = candidate;
                decision = responder.respond(request, candidate, serverId, context.seenOn(), now);
                candidate.apply(decision.changes());
                List<LeaseChange> durable = durable(decision.changes());
                committed = durable.isEmpty() ? null : journal.append(durable);
                if (committed != null) {
                    candidate.appended(committed);
                }
            } finally {
                candidate.lock().unlock();
            }
            if (decision.silence() != DropReason.POOL_EXHAUSTED) {
                break; // a shared network tries its next scope only when this one is full
            }
        }
        if (decision == null) {
            return dropped(DropReason.NO_SCOPE);
        }
        Decision result = decision;
        if (result.reply() == null) {
            if (result.silence() != null) {
                listener.dropped(result.silence());
            }
            return CompletableFuture.completedFuture(new Outcome(null, result.silence(), state.scope()));
        }
        if (committed == null) {
            return CompletableFuture.completedFuture(new Outcome(result.reply(), null, state.scope()));
        }
        ScopeState decided = state;
        return committed.handle((ok, failure) -> {
            if (failure == null) {
                if (leaseLog.isDebugEnabled()) {
                    leaseLog.debug("{} {} to {}{} on {}", result.reply().messageType(), result.reply().yiaddr(),
                            request.mac(), request.hostname() == null ? "" : " (" + request.hostname() + ")", context.seenOn());
                }
                return new Outcome(result.reply(), null, decided.scope());
            }
            log.error("lease change for {} not committed; no reply sent", request, failure);
            decided.lock().lock();
            try {
                decided.revert(result.changes());
            } finally {
                decided.lock().unlock();
            }
            listener.dropped(DropReason.STORE_FAILURE);
            return new Outcome(null, DropReason.STORE_FAILURE, decided.scope());
        });
    }

    /** Expires offers, bindings and probations that fell due; durable results are journaled. */
    public int sweep() {
        Instant now = clock.instant();
        int swept = 0;
        for (ScopeState state : directory.states()) {
            state.lock().lock();
            try {
                if (state.isRetired()) {
                    continue; // its leases are being deleted
                }
                List<LeaseChange> changes = state.sweep(now);
                swept += changes.size();
                List<LeaseChange> durable = durable(changes);
                if (!durable.isEmpty()) {
                    CompletableFuture<Void> committed = journal.append(durable);
                    state.appended(committed);
                    committed.exceptionally(e -> {
                        log.warn("expiry of {} lease(s) not committed; they expire again at the next start",
                                durable.size(), e);
                        return null;
                    });
                }
            } finally {
                state.lock().unlock();
            }
        }
        return swept;
    }

    private CompletableFuture<Outcome> dropped(DropReason reason) {
        listener.dropped(reason);
        return CompletableFuture.completedFuture(new Outcome(null, reason, null));
    }

    private static List<LeaseChange> durable(List<LeaseChange> changes) {
        List<LeaseChange> durable = null;
        for (LeaseChange c : changes) {
            if (c.durable()) {
                if (durable == null) {
                    durable = new ArrayList<>(changes.size());
                }
                durable.add(c);
            }
        }
        return durable == null ? List.of() : durable;
    }
}
