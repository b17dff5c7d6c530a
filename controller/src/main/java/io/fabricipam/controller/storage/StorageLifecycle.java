package io.fabricipam.controller.storage;

import io.fabricipam.controller.dhcp.DhcpLifecycle;
import io.fabricipam.fabric.storage.StorageFabric;
import io.fabricipam.fabric.storage.StorageSettings;
import io.fabricipam.fabric.storage.failback.FailbackSettings;
import io.fabricipam.fabric.storage.failback.SocketDestroyFence;
import io.fabricipam.fabric.storage.failback.TgtAdminDriver;
import io.fabricipam.fabric.storage.health.ProbeSettings;
import io.fabricipam.fabric.storage.redirect.RedirectorSettings;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Runs the storage I/O path ({@link StorageFabric}: redirector, health probes, failback) beside DHCP. */
@Component
public class StorageLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StorageLifecycle.class);

    private final StorageProperties properties;
    private final Clock clock;
    private volatile StorageFabric fabric;
    private volatile boolean running;

    public StorageLifecycle(StorageProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** The running storage fabric, or null when it is off. */
    public StorageFabric fabric() {
        return fabric;
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("storage redirector off (fabric.storage.enabled=false)");
            running = true;
            return;
        }
        StorageFabric f = new StorageFabric(settings(), TgtAdminDriver.onThisHost(), SocketDestroyFence.onThisHost(), clock);
        try {
            f.start();
        } catch (IOException e) {
            f.close();
            throw new UncheckedIOException("cannot start the iSCSI redirector on " + properties.redirector().listen()
                    + " (fabric.storage.redirector.listen)", e);
        }
        fabric = f;
        log.info("iSCSI redirector on {} with {} target(s)", f.redirectorAddress(), f.targets().size());
        running = true;
    }

    StorageSettings settings() {
        List<TargetSpec> targets = properties.targets().stream()
                .map(t -> new TargetSpec(t.name(), Portal.parse(t.portal()), t.local(),
                        t.iqns() == null ? List.of() : t.iqns(), t.admin()))
                .toList();
        return StorageSettings.defaults()
                .withRedirector(RedirectorSettings.listeningOn(Portal.parse(properties.redirector().listen())))
                .withTargets(targets)
                .withProbe(ProbeSettings.DEFAULT.withInterval(properties.probe().interval()).withTimeout(properties.probe().timeout()))
                .withFailback(properties.failback().enabled()
                        ? FailbackSettings.DEFAULT.withHoldDown(properties.failback().holdDown())
                        : new FailbackSettings(false, FailbackSettings.DEFAULT.holdDown(), FailbackSettings.DEFAULT.sweepEvery(),
                                FailbackSettings.DEFAULT.maxDropsPerSweep(), FailbackSettings.DEFAULT.rememberFor()))
                .withFenceUnavailable(properties.fenceUnavailable());
    }

    @Override
    public void stop() {
        running = false;
        StorageFabric f = fabric;
        fabric = null;
        if (f != null) {
            f.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DhcpLifecycle.PHASE + 100;
    }
}
