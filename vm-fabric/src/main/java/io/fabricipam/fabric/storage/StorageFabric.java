package io.fabricipam.fabric.storage;

import io.fabricipam.fabric.storage.disk.DiskAttachmentPolicy;
import io.fabricipam.fabric.storage.disk.DiskDescription;
import io.fabricipam.fabric.storage.disk.DiskXml;
import io.fabricipam.fabric.storage.failback.ConnectionFence;
import io.fabricipam.fabric.storage.failback.FailbackCoordinator;
import io.fabricipam.fabric.storage.failback.TargetAdminDriver;
import io.fabricipam.fabric.storage.health.NopOutcome;
import io.fabricipam.fabric.storage.health.ProbeScheduler;
import io.fabricipam.fabric.storage.health.TargetProber;
import io.fabricipam.fabric.storage.redirect.IscsiRedirector;
import io.fabricipam.fabric.storage.redirect.LoginRouter;
import io.fabricipam.fabric.storage.redirect.RedirectorStats;
import io.fabricipam.fabric.storage.redirect.SessionLog;
import io.fabricipam.fabric.storage.redirect.SessionOutcome;
import io.fabricipam.fabric.storage.redirect.SessionRecord;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.PathChoice;
import io.fabricipam.fabric.storage.target.PathSelector;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetSpec;
import io.fabricipam.fabric.storage.target.TargetStatus;
import io.fabricipam.fabric.storage.text.SafeText;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage I/O path of one host, as one object for the application to hold: the iSCSI login
 * redirector QEMU points at, a NOP prober per storage target (all sharing the few threads of one
 * {@link ProbeScheduler}), failback, and the disk attachment policy. At most {@value #MAX_TARGETS}
 * targets. Plain Java; the controller wires it to Spring and REST.
 *
 * <p>Lifecycle (after Curator's LeaderLatch): {@link State#LATENT} (constructed; targets may be
 * registered) -&gt; {@link #start()} -&gt; {@link State#STARTED} (listening, probing, failing back)
 * -&gt; {@link #close()} -&gt; {@link State#CLOSED} (terminal; start again is refused). Every
 * method is thread-safe.
 */
public final class StorageFabric implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StorageFabric.class);

    public enum State { LATENT, STARTED, CLOSED }

    /**
     * Targets one fabric probes at most: each costs a probe session and a NOP-Out per interval (5 a second
     * by default), and a host rarely reaches more than a few storage nodes. Registering more is refused
     * ({@link TargetLimitException}).
     */
    public static final int MAX_TARGETS = 256;

    private final StorageSettings settings;
    private final Clock clock;
    private final SessionLog sessions;
    private final Map<String, TargetProber> probers = new LinkedHashMap<>();
    private final IscsiRedirector redirector;
    private final FailbackCoordinator failback;
    private final DiskAttachmentPolicy diskPolicy = new DiskAttachmentPolicy();
    private final ConnectionFence fence;
    private final ProbeScheduler probeScheduler = new ProbeScheduler();
    private final List<Consumer<HealthChange>> healthListeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService failbackTimer;
    private State state = State.LATENT;

    /** A fabric without connection fencing (see {@link #StorageFabric(StorageSettings, TargetAdminDriver, ConnectionFence, Clock)}). */
    public StorageFabric(StorageSettings settings, TargetAdminDriver adminDriver, Clock clock) {
        this(settings, adminDriver, ConnectionFence.NONE, clock);
    }

    /**
     * @param adminDriver drops remote sessions for failback ({@code TgtAdminDriver.onThisHost()} for tgt)
     * @param fence       cuts this host's connections to a target that became unavailable, when
     *                    {@link StorageSettings#fenceUnavailable()} ({@code SocketDestroyFence.onThisHost()})
     */
    public StorageFabric(StorageSettings settings, TargetAdminDriver adminDriver, ConnectionFence fence, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.fence = fence;
        this.sessions = new SessionLog(settings.sessionLogSize());
        this.redirector = new IscsiRedirector(settings.redirector(), new Router(), sessions, clock);
        this.failback = new FailbackCoordinator(this::statuses, adminDriver, sessions, clock, settings.failback(),
                settings.probe().initiatorName());
        settings.targets().forEach(this::registerTarget);
        if (settings.fenceUnavailable()) {
            addHealthListener(this::fenceIfUnavailable);
        }
    }

    private void fenceIfUnavailable(HealthChange change) {
        if (change.to() != HealthState.UNAVAILABLE) {
            return;
        }
        ScheduledExecutorService executor;
        TargetSpec spec;
        synchronized (this) {
            executor = failbackTimer;
            TargetProber prober = probers.get(change.target());
            spec = prober == null ? null : prober.spec();
        }
        if (executor == null || spec == null) {
            return;
        }
        executor.execute(() -> { // not on the prober's thread: ss may take a few ms
            try {
                int closed = fence.fence(spec);
                if (closed > 0) {
                    sessions.record(new SessionRecord(clock.instant(), null, null, null, "Normal", null,
                            SessionOutcome.FENCED_FOR_FAILOVER, spec.name(), spec.portal().toString(),
                            "target '" + spec.name() + "' unavailable (" + change.reason() + "): closed " + closed
                                    + " connection(s) from this host so that their initiators reconnect through the"
                                    + " redirector"));
                }
            } catch (IOException | RuntimeException e) {
                log.warn("cannot fence the connections to unavailable target {}: {}", SafeText.log(spec.name()),
                        SafeText.log(e.getMessage()));
            }
        });
    }

    /** Binds the redirector, starts probing every registered target and the failback timer. */
    public synchronized void start() throws IOException {
        if (state != State.LATENT) {
            throw new IllegalStateException("cannot start a storage fabric that is " + state);
        }
        redirector.start();
        probers.values().forEach(TargetProber::start);
        failbackTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storage-failback");
            t.setDaemon(true);
            return t;
        });
        long period = settings.probe().interval().toMillis();
        failbackTimer.scheduleWithFixedDelay(this::failbackTick, period, period, TimeUnit.MILLISECONDS);
        state = State.STARTED;
    }

    private void failbackTick() {
        try {
            failback.tick();
        } catch (RuntimeException e) {
            log.warn("failback tick failed", e); // keep the timer alive
        }
    }

    public synchronized State state() {
        return state;
    }

    /**
     * Adds a target (probing starts at once when started). The spec is valid by construction
     * ({@link io.fabricipam.fabric.storage.target.TargetRules}).
     *
     * @throws DuplicateTargetException if a target of that name exists
     * @throws TargetLimitException     if {@value #MAX_TARGETS} targets are registered
     * @throws IllegalStateException    after close
     */
    public synchronized TargetView registerTarget(TargetSpec spec) {
        if (state == State.CLOSED) {
            throw new IllegalStateException("storage fabric is closed");
        }
        if (probers.containsKey(spec.name())) {
            throw new DuplicateTargetException(spec.name());
        }
        if (probers.size() >= MAX_TARGETS) {
            throw new TargetLimitException(MAX_TARGETS);
        }
        TargetProber prober = new TargetProber(spec, settings.probe(), clock, probeScheduler, new Consumer<>() {
            private HealthState last = HealthState.UNAVAILABLE;

            @Override
            public void accept(TargetStatus status) { // on the prober's thread, one snapshot at a time
                if (status.health() != last) {
                    HealthChange change = new HealthChange(spec.name(), last, status.health(), status.since(),
                            status.reason());
                    last = status.health();
                    for (Consumer<HealthChange> listener : healthListeners) {
                        try {
                            listener.accept(change);
                        } catch (RuntimeException e) {
                            log.warn("health listener failed on {}", SafeText.log(change), e); // the prober must go on
                        }
                    }
                }
            }
        });
        probers.put(spec.name(), prober);
        if (state == State.STARTED) {
            prober.start();
        }
        log.info("storage target {} registered: {} ({})", SafeText.log(spec.name()), SafeText.log(spec.portal()),
                spec.local() ? "local" : "remote");
        return TargetView.of(prober.latest());
    }

    /** Stops probing a target and forgets it; returns false if there was none of that name. */
    public boolean removeTarget(String name) {
        TargetProber prober;
        synchronized (this) {
            prober = probers.remove(name);
        }
        if (prober == null) {
            return false;
        }
        prober.close();
        log.info("storage target {} removed", SafeText.log(name));
        return true;
    }

    /** Every registered target with its health, NOP latency, path state and explanation, in registration order. */
    public List<TargetView> targets() {
        return statuses().stream().map(TargetView::of).toList();
    }

    public Optional<TargetView> target(String name) {
        return statuses().stream().filter(s -> s.name().equals(name)).findFirst().map(TargetView::of);
    }

    /**
     * Calls {@code listener} on every health state change of any target, on the prober's thread
     * (keep it quick). For events and metrics; the API polls {@link #targets()}.
     */
    public void addHealthListener(Consumer<HealthChange> listener) {
        healthListeners.add(listener);
    }

    /** Where a login for {@code iqn} would go now, and why. */
    public PathChoice route(String iqn) {
        return PathSelector.choose(iqn, statuses());
    }

    /** The latest session records, oldest first. */
    public List<SessionRecord> sessions() {
        return sessions.recent();
    }

    /** Libvirt XML for one disk, with the findings of the semantic checks. Needs no started fabric. */
    public DiskXml renderDisk(DiskDescription disk) {
        return diskPolicy.render(disk);
    }

    public Portal redirectorAddress() {
        return redirector.listenAddress();
    }

    public RedirectorStats redirectorStats() {
        return redirector.stats();
    }

    private synchronized List<TargetStatus> statuses() {
        return probers.values().stream().map(TargetProber::latest).toList();
    }

    @Override
    public void close() {
        List<TargetProber> toClose;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            toClose = List.copyOf(probers.values());
            probers.clear();
            if (failbackTimer != null) {
                failbackTimer.shutdownNow();
            }
        }
        redirector.close();
        toClose.forEach(TargetProber::close);
        probeScheduler.close();
    }

    /**
     * Routes logins by the probers' snapshots, with one refinement: an initiator that comes back
     * to the target it was last sent to has usually just lost its session there, possibly before
     * the prober noticed (both see the connection drop at the same moment). Such a target is
     * checked with a real login first (a few ms on a LAN); if that fails it counts as a miss and
     * the initiator goes elsewhere at once instead of bouncing off a dying target and waiting out
     * its initiator's reconnect back-off.
     */
    private final class Router implements LoginRouter {

        private static final Duration RETURNING_WITHIN = Duration.ofSeconds(60);

        @Override
        public PathChoice route(String targetName, String initiatorName) {
            PathChoice choice = PathSelector.choose(targetName, statuses());
            if (choice.verdict() != PathChoice.Verdict.REDIRECT || !returning(initiatorName, choice.target().name())) {
                return choice;
            }
            TargetProber prober;
            synchronized (StorageFabric.this) {
                prober = probers.get(choice.target().name());
            }
            NopOutcome check = prober == null ? NopOutcome.answered(Duration.ZERO) : prober.checkLogin(targetName);
            if (check.isAnswered()) {
                return choice;
            }
            String doubtful = choice.target().name();
            PathChoice again = PathSelector.choose(targetName,
                    statuses().stream().filter(s -> !s.name().equals(doubtful)).toList());
            return new PathChoice(again.verdict(), again.target(), "initiator came back from '" + doubtful
                    + "', whose " + check.missReason() + "; " + again.explanation());
        }

        private boolean returning(String initiatorName, String target) {
            if (initiatorName == null) {
                return false;
            }
            List<SessionRecord> recent = sessions.recent();
            for (int i = recent.size() - 1; i >= 0; i--) {
                SessionRecord r = recent.get(i);
                if (r.outcome() == SessionOutcome.REDIRECTED && initiatorName.equals(r.initiatorName())) {
                    return target.equals(r.chosenTarget())
                            && r.at().isAfter(clock.instant().minus(RETURNING_WITHIN));
                }
            }
            return false;
        }

        @Override
        public List<String> advertisedTargetNames() {
            return PathSelector.advertisedIqns(statuses());
        }
    }
}
