package io.fabricipam.controller.cluster;

import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.ScopeAdministration;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this host's DHCP server answers, following leadership: only the leader answers, and it answers only
 * from what the shared store holds after its own takeover.
 *
 * <p>States and transitions:
 * <ul>
 * <li>FOLLOWING (the start in cluster mode): the server is inactive (requests dropped, {@code not-leader}).</li>
 * <li>FOLLOWING or LEADING -> {@link #leading(long) leading(epoch)} -> TAKING_OVER: the epoch is already claimed
 *     in the store (so no late write of an earlier leader can land any more); every scope and lease is
 *     reloaded from the store on a thread of its own (not the caller's: Curator's event thread must stay free
 *     for connection events), again and again with a growing pause while the store cannot be read -> LEADING:
 *     the store's writes carry the new epoch and the server answers.</li>
 * <li>any -> {@link #notLeading()} -> FOLLOWING: the server stops answering at once, synchronously, before the
 *     caller goes on; a takeover under way finishes its load but does not activate.</li>
 * </ul>
 * Every transition bumps a generation; a takeover activates only if no transition came after it, so a quick
 * leading -> not leading -> leading never lets an old takeover switch the server on.
 */
public final class LeaderDhcp implements AutoCloseable {

    enum State { FOLLOWING, TAKING_OVER, LEADING, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(LeaderDhcp.class);
    /** How long {@link #close()} waits for a takeover's load. */
    private static final long CLOSE_WAIT_SECONDS = 10;
    /** A load that failed (the store unreachable) is tried again after this, doubling up to {@link #RETRY_MAX}. */
    static final Duration RETRY_FIRST = Duration.ofMillis(250);
    static final Duration RETRY_MAX = Duration.ofSeconds(4);

    private final DhcpServer server;
    private final ScopeAdministration administration;
    private final AtomicLong writerEpoch;
    private final Runnable afterLoad;
    private final ScheduledExecutorService takeovers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "leader-takeover");
        t.setDaemon(true);
        return t;
    });
    private long generation; // guarded by this
    private State state = State.FOLLOWING; // guarded by this

    /**
     * @param writerEpoch the epoch the lease store writes with (read by the store on every write); set here
     *                    before the server answers as leader
     */
    public LeaderDhcp(DhcpServer server, ScopeAdministration administration, AtomicLong writerEpoch) {
        this(server, administration, writerEpoch, () -> { });
    }

    /**
     * @param afterLoad run once the store is loaded and the writer's epoch set, before the server answers (the
     *                  scopes of the configuration file are applied here: only the leader writes them); a failure
     *                  is logged and the leader answers from what is stored
     */
    public LeaderDhcp(DhcpServer server, ScopeAdministration administration, AtomicLong writerEpoch, Runnable afterLoad) {
        this.server = server;
        this.administration = administration;
        this.writerEpoch = writerEpoch;
        this.afterLoad = afterLoad;
        server.setActive(false);
    }

    /** This host leads at {@code epoch} (claimed in the store): reload, then answer. */
    public synchronized void leading(long epoch) {
        if (state == State.CLOSED) {
            return;
        }
        server.setActive(false);
        long mine = ++generation;
        state = State.TAKING_OVER;
        takeovers.execute(() -> takeOver(epoch, mine, RETRY_FIRST));
    }

    /** This host may no longer lead (SUSPENDED, LOST, closed): stop answering now. */
    public synchronized void notLeading() {
        server.setActive(false);
        generation++;
        if (state != State.CLOSED) {
            state = State.FOLLOWING;
        }
    }

    private void takeOver(long epoch, long mine, Duration retry) {
        long t0 = System.nanoTime();
        try {
            administration.load();
        } catch (RuntimeException e) {
            synchronized (this) {
                if (generation != mine || state != State.TAKING_OVER) {
                    return;
                }
                // still the leader: not answering until the store can be read, and trying again
                log.error("taking over as leader at epoch {}: the scopes and leases could not be loaded ({}); not answering,"
                        + " trying again in {} ms", epoch, e.toString(), retry.toMillis());
                Duration next = retry.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : retry.multipliedBy(2);
                takeovers.schedule(() -> takeOver(epoch, mine, next), retry.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        synchronized (this) {
            if (generation != mine || state != State.TAKING_OVER) {
                return; // leadership moved on meanwhile
            }
            writerEpoch.set(epoch);
        }
        try {
            afterLoad.run();
        } catch (RuntimeException e) {
            log.error("leading at epoch {}: the configured scopes could not be applied; answering from the stored ones",
                    epoch, e);
        }
        synchronized (this) {
            if (generation != mine || state != State.TAKING_OVER) {
                return;
            }
            server.setActive(true);
            state = State.LEADING;
        }
        log.info("leading at epoch {}: scopes and leases reloaded in {} ms, DHCP answering", epoch,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    synchronized State state() {
        return state;
    }

    @Override
    public void close() {
        synchronized (this) {
            notLeading();
            state = State.CLOSED;
        }
        takeovers.shutdown();
        try {
            takeovers.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
