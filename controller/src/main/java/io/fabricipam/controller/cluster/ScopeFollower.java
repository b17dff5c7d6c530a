package io.fabricipam.controller.cluster;

import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.store.ScopeStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's view of the scopes: every {@link #INTERVAL} it reads the store's scope revision (one row) and,
 * when it moved, refreshes the scope directory from the store, so that its flows and ARP answers follow the
 * leader's changes within a second. Why a poll: it works on every store, costs one indexed read, and misses
 * nothing across a reconnect or a restart of the database; PostgreSQL's LISTEN/NOTIFY would be faster but loses
 * what happens while the listening connection is down, so a poll would be needed beside it anyway.
 *
 * <p>The revision is read before the refresh: a change that lands during a refresh moves it again and is
 * picked up by the next poll, never skipped. Lifecycle: STOPPED -> {@link #start()} (a follower) -> polling ->
 * {@link #stop()} (this host leads: it writes, its memory is current) -> STOPPED; {@link #close()} for good.
 */
public final class ScopeFollower implements AutoCloseable {

    /** Half the "within a second" of issue 10. */
    public static final Duration INTERVAL = Duration.ofMillis(500);

    private static final Logger log = LoggerFactory.getLogger(ScopeFollower.class);

    private final ScopeStore store;
    private final ScopeAdministration administration;
    private final Duration interval;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scope-follower");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> polling; // guarded by this
    private volatile long seen = Long.MIN_VALUE;
    private volatile boolean failing;

    public ScopeFollower(ScopeStore store, ScopeAdministration administration, Duration interval) {
        this.store = store;
        this.administration = administration;
        this.interval = interval;
    }

    public synchronized void start() {
        if (polling == null && !poller.isShutdown()) {
            seen = Long.MIN_VALUE; // what happened while leading or stopped: look once at everything
            polling = poller.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public synchronized void stop() {
        if (polling != null) {
            polling.cancel(false);
            polling = null;
        }
    }

    private void poll() {
        try {
            long revision = store.revision();
            if (revision != seen) {
                int changed = administration.refresh();
                seen = revision;
                if (changed > 0) {
                    log.info("{} scope(s) changed by another host, now served as stored (revision {})", changed, revision);
                }
            }
            if (failing) {
                failing = false;
                log.info("scope store readable again; following its changes");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true; // once per outage, not every half second
                log.warn("cannot follow scope changes in the store ({}); trying every {} ms", e.toString(), interval.toMillis());
            }
        }
    }

    @Override
    public void close() {
        stop();
        poller.shutdownNow();
    }
}
