package io.fabricipam.fabric.storage.health;

import io.fabricipam.fabric.storage.target.TargetSpec;
import io.fabricipam.fabric.storage.target.TargetStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one logged-in session to a target and pings it with NOP-Out every interval on its own
 * thread, feeding {@link TargetHealth} and publishing a {@link TargetStatus} after every ping.
 *
 * <p>The session is a normal one (tgtd closes a discovery session on NOP-Out), to the first IQN
 * the target exports: configured, or learnt with SendTargets on a separate discovery connection
 * at every reconnect and every {@link ProbeSettings#rediscoverEvery()}. Any I/O failure is a miss
 * and drops the session; the next tick reconnects, so a dead target costs one refused connect
 * per interval.
 */
public final class TargetProber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TargetProber.class);

    private final TargetSpec spec;
    private final ProbeSettings settings;
    private final Clock clock;
    private final Consumer<TargetStatus> publish;
    private final TargetHealth health;
    private final NopLatency latency = new NopLatency();
    private final Thread thread;
    private volatile boolean running;
    private volatile IscsiInitiatorConnection session;
    private volatile TargetStatus latest;
    private volatile List<String> iqns;
    private Instant discoveredAt = Instant.MIN;

    public TargetProber(TargetSpec spec, ProbeSettings settings, Clock clock, Consumer<TargetStatus> publish) {
        this.spec = spec;
        this.settings = settings;
        this.clock = clock;
        this.publish = publish;
        this.health = new TargetHealth(settings.thresholds(), clock.instant());
        this.iqns = spec.iqns();
        this.latest = TargetStatus.unprobed(spec, clock.instant());
        this.thread = new Thread(this::run, "storage-probe-" + spec.name());
        this.thread.setDaemon(true);
    }

    public void start() {
        running = true;
        thread.start();
    }

    private void run() {
        long intervalNanos = settings.interval().toNanos();
        long nextTick = System.nanoTime();
        while (running) {
            NopOutcome outcome = probeOnce();
            if (!running) {
                break;
            }
            recordAndPublish(outcome);
            nextTick += intervalNanos;
            long now = System.nanoTime();
            if (nextTick < now) {
                nextTick = now; // a slow tick does not make the next ones burst
            }
            if (!waitUntil(nextTick)) {
                break;
            }
        }
        closeSession();
    }

    /** Health and latency change here only, under the prober's lock: the probe thread and {@link #checkLogin} both report. */
    private synchronized void recordAndPublish(NopOutcome outcome) {
        if (outcome.isAnswered()) {
            latency.add(outcome.latency());
        }
        health.record(outcome, clock.instant()).ifPresent(t -> log.info("storage target {} ({}): {} -> {}: {}",
                spec.name(), spec.portal(), t.from(), t.to(), t.reason()));
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

    /**
     * Sleeps until the next tick, listening on the session meanwhile: a target that closes the
     * connection (tgtd deleting the target, the process dying) is a miss at once, not at the
     * next ping. Returns false when the prober is stopping.
     */
    private boolean waitUntil(long tickNanos) {
        IscsiInitiatorConnection current = session;
        if (current != null) {
            try {
                current.listen(Duration.ofNanos(Math.max(0, tickNanos - System.nanoTime())), settings.timeout());
                return running;
            } catch (IOException | RuntimeException e) {
                closeSession();
                if (!running) {
                    return false;
                }
                recordAndPublish(NopOutcome.missed(describe(e)));
                // the tick schedule stays: the rest of the wait is a plain sleep
            }
        }
        try {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, tickNanos - System.nanoTime()));
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
            if (!found.equals(iqns)) {
                log.info("storage target {} ({}) exports {}", spec.name(), spec.portal(), found);
            }
            return List.copyOf(found);
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
                log.debug("closing the probe session of {}", spec.name(), e);
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

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        closeSession(); // unblocks a read in progress
        try {
            thread.join(Duration.ofSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
