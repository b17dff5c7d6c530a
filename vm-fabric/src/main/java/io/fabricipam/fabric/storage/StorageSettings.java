package io.fabricipam.fabric.storage;

import io.fabricipam.fabric.storage.failback.FailbackSettings;
import io.fabricipam.fabric.storage.health.ProbeSettings;
import io.fabricipam.fabric.storage.redirect.RedirectorSettings;
import io.fabricipam.fabric.storage.target.TargetSpec;
import java.util.List;

/**
 * Everything {@link StorageFabric} needs, as plain values (the controller binds them from
 * {@code fabric.storage.*} properties).
 *
 * @param redirector        listen address (default 127.0.0.1:3261) and connection limits
 * @param targets           targets known at start; more can be registered at runtime
 * @param probe             NOP ping interval, timeout and health hysteresis
 * @param failback          hold-down and pacing of failback
 * @param sessionLogSize    how many session records {@link StorageFabric#sessions()} keeps
 */
public record StorageSettings(RedirectorSettings redirector, List<TargetSpec> targets, ProbeSettings probe,
                              FailbackSettings failback, int sessionLogSize) {

    public StorageSettings {
        targets = List.copyOf(targets);
        if (sessionLogSize < 1) {
            throw new IllegalArgumentException("sessionLogSize must be positive");
        }
    }

    public static StorageSettings defaults() {
        return new StorageSettings(RedirectorSettings.listeningOn(RedirectorSettings.DEFAULT_LISTEN), List.of(),
                ProbeSettings.DEFAULT, FailbackSettings.DEFAULT, 1000);
    }

    public StorageSettings withRedirector(RedirectorSettings redirector) {
        return new StorageSettings(redirector, targets, probe, failback, sessionLogSize);
    }

    public StorageSettings withTargets(List<TargetSpec> targets) {
        return new StorageSettings(redirector, targets, probe, failback, sessionLogSize);
    }

    public StorageSettings withProbe(ProbeSettings probe) {
        return new StorageSettings(redirector, targets, probe, failback, sessionLogSize);
    }

    public StorageSettings withFailback(FailbackSettings failback) {
        return new StorageSettings(redirector, targets, probe, failback, sessionLogSize);
    }
}
