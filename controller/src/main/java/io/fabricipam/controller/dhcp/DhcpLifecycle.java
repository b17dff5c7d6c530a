package io.fabricipam.controller.dhcp;

import io.fabricipam.api.scope.ScopeSpec;
import io.fabricipam.api.scope.ScopeSpecs;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.UnloadableScope;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the DHCP core after the database is migrated and before any front end: starts the lease journal,
 * loads scopes and leases (a stored scope that cannot be loaded is reported and skipped, see
 * {@link ScopeAdministration#load()}), applies the scopes of the configuration file, and sweeps expiries
 * periodically.
 * Stops in reverse, committing what the journal holds.
 */
@Component
public class DhcpLifecycle implements SmartLifecycle {

    /** Front ends start in a later phase, so they never see a core that is not ready. */
    public static final int PHASE = 0;

    private static final Logger log = LoggerFactory.getLogger(DhcpLifecycle.class);

    private final LeaseJournal journal;
    private final ScopeDirectory directory;
    private final ScopeAdministration administration;
    private final DhcpServer server;
    private final DhcpProperties properties;
    private final ScopesProperties scopes;
    private ScheduledExecutorService sweeper;
    private volatile boolean running;

    public DhcpLifecycle(LeaseJournal journal, ScopeDirectory directory, ScopeAdministration administration,
            DhcpServer server, DhcpProperties properties, ScopesProperties scopes) {
        this.journal = journal;
        this.directory = directory;
        this.administration = administration;
        this.server = server;
        this.properties = properties;
        this.scopes = scopes;
    }

    @Override
    public void start() {
        journal.start();
        administration.load();
        for (ScopeSpec spec : scopes.scopes()) {
            apply(spec);
        }
        log.info("DHCP core ready: {} scope(s){}", directory.states().size(), administration.unloadable().isEmpty() ? ""
                : ", " + administration.unloadable().size() + " not loaded (see /actuator/health)");
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = properties.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    private void sweep() {
        try {
            server.sweep();
        } catch (RuntimeException e) {
            log.error("lease sweep failed", e); // keep the schedule alive
        }
    }

    /**
     * Creates the scope, or updates the one of that name (which repairs it if it could not be loaded); then
     * makes sure its reservations exist.
     */
    private void apply(ScopeSpec spec) {
        Optional<Scope> existing = directory.stateByName(spec.name()).map(s -> s.scope());
        Optional<UnloadableScope> broken = administration.unloadable().stream()
                .filter(u -> u.name().equals(spec.name())).findFirst();
        Scope scope;
        if (existing.isPresent()) {
            Scope current = existing.get();
            Scope wanted = ScopeSpecs.toScope(spec, current.id(), current.version());
            scope = wanted.equals(current) ? current : administration.update(wanted);
        } else if (broken.isPresent()) {
            scope = administration.update(ScopeSpecs.toScope(spec, broken.get().id(), broken.get().version()));
        } else {
            // a stable id per configured name, so a fresh database gives the same ids
            UUID id = UUID.nameUUIDFromBytes(("fabric-scope:" + spec.name()).getBytes(StandardCharsets.UTF_8));
            scope = administration.create(ScopeSpecs.toScope(spec, id, 0));
        }
        for (Reservation r : ScopeSpecs.reservations(spec, scope.id())) {
            administration.reserve(scope.id(), r.mac(), r.address(), r.hostname());
        }
        log.info("scope '{}' {} from configuration: {}", scope.name(), existing.isPresent() ? "updated"
                : broken.isPresent() ? "repaired" : "created", scope.network());
    }

    @Override
    public void stop() {
        running = false;
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        journal.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
