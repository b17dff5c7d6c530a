package io.fabricipam.controller.storage;

import io.fabricipam.controller.dhcp.DhcpLifecycle;
import io.fabricipam.fabric.storage.StorageFabric;
import io.fabricipam.fabric.storage.StorageSettings;
import io.fabricipam.fabric.storage.failback.FailbackSettings;
import io.fabricipam.fabric.storage.failback.SocketDestroyFence;
import io.fabricipam.fabric.storage.failback.TgtAdminDriver;
import io.fabricipam.fabric.storage.health.ProbeSettings;
import io.fabricipam.fabric.storage.redirect.RedirectorSettings;
import io.fabricipam.fabric.storage.target.InvalidTargetException;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
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
        if (properties.targets().size() > StorageFabric.MAX_TARGETS) {
            throw new IllegalStateException("fabric.storage.targets lists " + properties.targets().size()
                    + " targets; at most " + StorageFabric.MAX_TARGETS);
        }
        List<TargetSpec> targets = new ArrayList<>();
        for (int i = 0; i < properties.targets().size(); i++) {
            targets.add(target(i, properties.targets().get(i)));
        }
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

    /** A configured target, checked by the same rules as the API's; a broken one stops the start, naming the property. */
    private static TargetSpec target(int index, StorageProperties.Target t) {
        String prefix = "fabric.storage.targets[" + index + "].";
        Portal portal;
        try {
            portal = Portal.parse(t.portal() == null ? "" : t.portal());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(prefix + "portal: " + e.getMessage(), e);
        }
        try {
            return new TargetSpec(t.name(), portal, t.local(), t.iqns() == null ? List.of() : t.iqns(), t.admin());
        } catch (InvalidTargetException e) {
            throw new IllegalStateException(e.violations().stream().map(v -> prefix + v.field() + ": " + v.detail())
                    .collect(Collectors.joining("; ")), e);
        }
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
