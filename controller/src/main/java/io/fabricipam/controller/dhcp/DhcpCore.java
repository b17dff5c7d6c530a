package io.fabricipam.controller.dhcp;

import io.fabricipam.api.scope.ScopeSpec;
import io.fabricipam.controller.linux.LinuxNative;
import io.fabricipam.dhcp.journal.FileLeaseJournal;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.server.DhcpResponder;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.ResponderSettings;
import io.fabricipam.dhcp.server.LeaseAdministration;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.ScopeState;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.ScopeStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCP core composed from its stores, without Spring, so that it can start before the Spring context
 * ({@code EarlyDhcp}) or inside it ({@code DhcpCoreConfiguration}): lease journal, the scope directory the
 * workers read and the administration services that change it, server, worker pool, and the listener the
 * metrics attach to later.
 *
 * <p>States: NEW -> {@link #start()} (journal recovery: what the store lacks read back; every scope
 * with its reservations and leases loaded, with that on top; the journal started;
 * a stored scope that cannot be loaded reported and skipped, the scopes of the configuration applied,
 * sweeper scheduled) -> RUNNING -> {@link #stop()} (the worker
 * pool finishes what is queued, then the journal commits what it holds and closes) -> STOPPED. Front ends
 * stop receiving before {@link #stop()}, and answer requests in flight meanwhile: the journal is still open.
 */
public final class DhcpCore {

    /** The database copy of the journal runs in the background: nice 10 gets ~1/10 of a normal thread's CPU
     *  under contention, and all of an idle core. */
    static final int COPIER_NICE = 10;
    /** Where the file journal lives, under {@code fabric.data-dir}. */
    static final String JOURNAL_DIRECTORY = "journal";
    /** How long a stop waits for queued requests to be answered. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);

    private enum State { NEW, RUNNING, STOPPED }

    private static final Logger log = LoggerFactory.getLogger(DhcpCore.class);

    private final LeaseJournal journal;
    private final ScopeDirectory directory = new ScopeDirectory();
    private final ScopeAdministration administration;
    private final LeaseAdministration leaseAdministration;
    private final DeferredDhcpListener listener = new DeferredDhcpListener();
    private final DhcpServer server;
    private final DhcpWorkers workers;
    private final DhcpProperties properties;
    private final List<ScopeSpec> configuredScopes;
    private ScheduledExecutorService sweeper;
    private State state = State.NEW;

    /**
     * @param dataDir  {@code fabric.data-dir}, absolute (see DataDirectory)
     * @param database the database as the journal's messages name it (its URL, without a password)
     */
    public DhcpCore(ScopeStore scopeStore, LeaseStore leaseStore, DhcpProperties properties, List<ScopeSpec> configuredScopes,
            Path dataDir, String database, Clock clock) {
        this.properties = properties;
        this.configuredScopes = List.copyOf(configuredScopes);
        this.journal = journal(leaseStore, properties, dataDir, database, clock);
        this.administration = new ScopeAdministration(directory, scopeStore, leaseStore, journal, clock);
        this.leaseAdministration = new LeaseAdministration(directory, journal, clock);
        DhcpResponder responder = new DhcpResponder(new ResponderSettings(properties.offerHold(), properties.declineProbation()));
        this.server = new DhcpServer(directory, journal, responder, clock, listener);
        this.workers = new DhcpWorkers(properties, listener);
    }

    /**
     * The lease journal: with {@code journal=file} in {@code fabric.data-dir/journal}, bound to the database it
     * feeds; its messages name the database by its URL.
     */
    private static LeaseJournal journal(LeaseStore leaseStore, DhcpProperties properties, Path dataDir, String database,
            Clock clock) {
        if (properties.journal() == DhcpProperties.JournalMode.DATABASE) {
            return new StoreLeaseJournal(leaseStore, properties.journalBatch(), properties.effectiveJournalWindow());
        }
        FileLeaseJournal.Settings defaults = FileLeaseJournal.Settings.in(dataDir.resolve(JOURNAL_DIRECTORY));
        return new FileLeaseJournal(leaseStore, new FileLeaseJournal.Settings(defaults.dir(), properties.journalBatch(),
                properties.effectiveJournalWindow(), properties.journalFsync(), defaults.segmentBytes(), defaults.storeBatch(),
                defaults.storeLinger(), withoutPassword(database)), () -> LinuxNative.niceCurrentThread(COPIER_NICE), clock);
    }

    /** A JDBC URL fit for a log line: a password in it (PostgreSQL's {@code ?password=}) is masked. */
    public static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** Everything a DHCP answer depends on: when this returns, the core answers exactly as it would later. */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("DHCP core is " + state);
        }
        long t0 = System.nanoTime();
        long t1;
        long t2;
        long t3;
        try {
            journal.recover(); // what the store has not seen, read back: the load applies it on top of the store
            t1 = System.nanoTime();
            administration.load();
            journal.start(); // now the copy of what was recovered: not while the store is scanned
            t2 = System.nanoTime();
            ConfiguredScopes.apply(directory, administration, configuredScopes);
            t3 = System.nanoTime();
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        long leases = 0;
        for (ScopeState s : directory.states()) {
            leases += s.counts().values().stream().mapToLong(Integer::longValue).sum();
        }
        int unloadable = administration.unloadable().size();
        log.info("DHCP core ready: {} scope(s){}, {} lease row(s) (journal recovery {} ms, scopes and leases loaded"
                + " and the journal started in {} ms, configured scopes {} ms)", directory.states().size(), unloadable == 0 ? ""
                : " (" + unloadable + " not loaded: see /actuator/health)", leases, millis(t1 - t0), millis(t2 - t1),
                millis(t3 - t2));
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = properties.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        state = State.RUNNING;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private void sweep() {
        try {
            server.sweep();
        } catch (RuntimeException e) {
            log.error("lease sweep failed", e); // keep the schedule alive
        }
    }

    /**
     * Answers what is queued (front ends have stopped receiving), then commits what the journal holds and
     * closes it; the replies of those commits leave through front ends that are still open. Idempotent.
     */
    public synchronized void stop() {
        if (state != State.RUNNING) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPED;
        long t0 = System.nanoTime();
        sweeper.shutdownNow();
        boolean drained = workers.drain(DRAIN_TIMEOUT);
        journal.close();
        log.info("DHCP core stopped in {} ms{}", millis(System.nanoTime() - t0),
                drained ? "" : " (requests still queued after " + DRAIN_TIMEOUT.toMillis() + " ms were dropped)");
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    public LeaseJournal journal() {
        return journal;
    }

    public ScopeDirectory directory() {
        return directory;
    }

    public ScopeAdministration administration() {
        return administration;
    }

    public LeaseAdministration leaseAdministration() {
        return leaseAdministration;
    }

    public DhcpServer server() {
        return server;
    }

    public DhcpWorkers workers() {
        return workers;
    }

    /** What the core reports to; the metrics attach here once they exist. */
    public DeferredDhcpListener listener() {
        return listener;
    }
}
