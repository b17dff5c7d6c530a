package io.fabricipam.fabric.storage.health;

import io.fabricipam.fabric.storage.target.TargetRules;
import io.fabricipam.fabric.storage.target.TargetSpec;
import io.fabricipam.fabric.storage.target.TargetStatus;
import io.fabricipam.fabric.storage.text.SafeText;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one logged-in session to a target and pings it with NOP-Out every interval, feeding
 * {@link TargetHealth} and publishing a {@link TargetStatus} after every ping. Ticks run on the
 * fabric's shared {@link ProbeScheduler}, in the answering lane while the target answers and in the
 * silent lane while it does not, so a hung target never holds up the probes of healthy ones; a prober
 * has at most one tick scheduled or running at a time.
 *
 * <p>The session is a normal one (tgtd closes a discovery session on NOP-Out), to the first IQN
 * the target exports: configured, or learnt with SendTargets on a separate discovery connection
 * at every reconnect and every {@link ProbeSettings#rediscoverEvery()} (at most
 * {@link TargetRules#MAX_IQNS} kept). Any I/O failure is a miss and drops the session; the next tick
 * reconnects, so a dead target costs one refused connect per interval. Every read runs against the
 * probe timeout ({@link IscsiInitiatorConnection} reads with a deadline), which bounds how long a
 * tick can hold a thread. A target that closes the connection between two pings is a miss at the
 * next tick (the read sees the close at once, without waiting for the timeout); the target's own
 * NOP-In pings are answered during each ping.
 *
 * <p>Lifecycle: created idle; {@link #start()} schedules the first tick at once; {@link #close()}
 * stops it (terminal) and waits up to 2 s for a tick in progress.
 */
public final class TargetProber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TargetProber.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final TargetSpec spec;
    private final ProbeSettings settings;
    private final Clock clock;
    private final ProbeScheduler scheduler;
    private final Consumer<TargetStatus> publish;
    private final TargetHealth health;
    private final NopLatency latency = new NopLatency();
    /** Held for the whole of a tick, so that close() can wait for one in progress. */
    private final ReentrantLock ticking = new ReentrantLock();
    private volatile boolean running;
    private volatile ScheduledFuture<?> nextTick;
    private volatile IscsiInitiatorConnection session;
    private volatile TargetStatus latest;
    private volatile List<String> iqns;
    // confined to ticks (one at a time, ordered by the ticking lock)
    private long nextTickNanos;
    private Instant discoveredAt = Instant.MIN;

    /**
     * @param scheduler the shared probe threads (the caller owns and closes them)
     * @param publish   called with every new snapshot, on a probe thread (or the caller of {@link #checkLogin})
     */
    public TargetProber(TargetSpec spec, ProbeSettings settings, Clock clock, ProbeScheduler scheduler,
                        Consumer<TargetStatus> publish) {
        this.spec = spec;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.publish = publish;
        this.health = new TargetHealth(settings.thresholds(), clock.instant());
        this.iqns = spec.iqns();
        this.latest = TargetStatus.unprobed(spec, clock.instant());
    }

    /** Schedules the first tick now, in the silent lane (nothing is known of the target yet). */
    public void start() {
        running = true;
        nextTickNanos = System.nanoTime();
        schedule(ProbeScheduler.Lane.SILENT, 0);
    }

    private void schedule(ProbeScheduler.Lane lane, long delayNanos) {
        if (!running) {
            return;
        }
        try {
            nextTick = scheduler.schedule(lane, this::tick, delayNanos);
        } catch (RejectedExecutionException e) {
            running = false; // the scheduler closed: the fabric is closing
        }
    }

    private void tick() {
        ProbeScheduler.Lane lane;
        ticking.lock();
        try {
            if (!running) {
                return;
            }
            NopOutcome outcome = probeOnce();
            if (!running) {
                return;
            }
            recordAndPublish(outcome);
            lane = outcome.isAnswered() ? ProbeScheduler.Lane.ANSWERING : ProbeScheduler.Lane.SILENT;
            long now = System.nanoTime();
            nextTickNanos += settings.interval().toNanos();
            if (nextTickNanos < now) {
                nextTickNanos = now; // a slow tick does not make the next ones burst
            }
        } catch (RuntimeException e) {
            log.warn("probe of storage target {} failed", SafeText.log(spec.name()), e); // keep probing
            lane = ProbeScheduler.Lane.SILENT;
            nextTickNanos = System.nanoTime() + settings.interval().toNanos();
        } finally {
            ticking.unlock();
        }
        schedule(lane, nextTickNanos - System.nanoTime());
    }

    /** Health and latency change here only, under the prober's lock: the probe ticks and {@link #checkLogin} both report. */
    private synchronized void recordAndPublish(NopOutcome outcome) {
        if (outcome.isAnswered()) {
            latency.add(outcome.latency());
        }
        health.record(outcome, clock.instant()).ifPresent(t -> log.info("storage target {} ({}): {} -> {}: {}",
                SafeText.log(spec.name()), SafeText.log(spec.portal()), t.from(), t.to(), SafeText.log(t.reason())));
        latest = snapshot();
        publish.accept(latest);
    }

    /**
     * Logs in to the target once, now, on the caller's thread, and reports a failure as a miss at
     * once. The redirector asks this when an initiator comes back to the target it was last sent
     * to: it usually means its session just broke, perhaps before the probe noticed.
     */
    public NopOutcome checkLogin(String iqn) {
        long start = System.nanoTime();
        try (IscsiInitiatorConnection check = IscsiInitiatorConnection.open(spec.portal(), settings.initiatorName(),
                settings.timeout())) {
            check.loginNormal(iqn, settings.timeout());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            try {
                check.logout(settings.timeout());
            } catch (IOException e) {
                // logged in is what we wanted to know
            }
            return NopOutcome.answered(took);
        } catch (IOException | RuntimeException e) {
            NopOutcome miss = NopOutcome.missed("login check failed: " + describe(e));
            if (running) {
                recordAndPublish(miss);
            }
            return miss;
        }
    }

    private NopOutcome probeOnce() {
        try {
            if (session == null) {
                connect();
            } else if (spec.iqns().isEmpty() && clock.instant().isAfter(discoveredAt.plus(settings.rediscoverEvery()))) {
                iqns = discover();
            }
            return NopOutcome.answered(session.ping(settings.timeout()));
        } catch (IOException | RuntimeException e) {
            closeSession();
            return NopOutcome.missed(describe(e));
        }
    }

    private void connect() throws IOException {
        if (spec.iqns().isEmpty()) {
            iqns = discover();
        }
        if (iqns.isEmpty()) {
            throw new IOException("target exports no IQN");
        }
        IscsiInitiatorConnection fresh = IscsiInitiatorConnection.open(spec.portal(), settings.initiatorName(),
                settings.timeout());
        try {
            fresh.loginNormal(iqns.get(0), settings.timeout());
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
        session = fresh;
    }

    private List<String> discover() throws IOException {
        try (IscsiInitiatorConnection discovery = IscsiInitiatorConnection.open(spec.portal(),
                settings.initiatorName(), settings.timeout())) {
            discovery.loginDiscovery(settings.timeout());
            List<String> found = discovery.sendTargets(settings.timeout());
            discoveredAt = clock.instant();
            try {
                discovery.logout(settings.timeout());
            } catch (IOException e) {
                // the list is what we came for; a target that drops the logout loses nothing
            }
            List<String> kept = found.size() > TargetRules.MAX_IQNS ? found.subList(0, TargetRules.MAX_IQNS) : found;
            if (!kept.equals(iqns)) {
                log.info("storage target {} ({}) exports {}{}", SafeText.log(spec.name()), SafeText.log(spec.portal()),
                        SafeText.log(kept), kept.size() < found.size()
                                ? " (the first " + kept.size() + " of " + found.size() + ")" : "");
            }
            return List.copyOf(kept);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private void closeSession() {
        IscsiInitiatorConnection s = session;
        session = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                log.debug("closing the probe session of {}", SafeText.log(spec.name()), e);
            }
        }
    }

    private TargetStatus snapshot() {
        return new TargetStatus(spec, health.state(), health.since(), health.reason(), latency.summary(), iqns);
    }

    /** The snapshot published after the last ping (or "not probed yet"); safe from any thread. */
    public TargetStatus latest() {
        return latest;
    }

    public TargetSpec spec() {
        return spec;
    }

    /** Stops probing: no further tick starts, a read in progress is cut, and a tick in progress is waited for. */
    @Override
    public void close() {
        running = false;
        ScheduledFuture<?> next = nextTick;
        if (next != null) {
            next.cancel(false);
        }
        closeSession(); // unblocks a read in progress
        try {
            if (ticking.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                ticking.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSession(); // a tick that connected just before it saw running=false
    }
}
