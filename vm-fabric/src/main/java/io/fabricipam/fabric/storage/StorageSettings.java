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
 * @param fenceUnavailable  cut this host's connections to a target when it becomes UNAVAILABLE
 *                          (see {@code ConnectionFence}); failover from a hung target then takes
 *                          about the detection time instead of the initiator's own NOP timeout
 */
public record StorageSettings(RedirectorSettings redirector, List<TargetSpec> targets, ProbeSettings probe,
                              FailbackSettings failback, int sessionLogSize, boolean fenceUnavailable) {

    public StorageSettings {
        targets = List.copyOf(targets);
        if (sessionLogSize < 1) {
            throw new IllegalArgumentException("sessionLogSize must be positive");
        }
    }

    public static StorageSettings defaults() {
        return new StorageSettings(RedirectorSettings.listeningOn(RedirectorSettings.DEFAULT_LISTEN), List.of(),
                ProbeSettings.DEFAULT, FailbackSettings.DEFAULT, 1000, true);
    }

    public StorageSettings withRedirector(RedirectorSettings redirector) {
        return new StorageSettings(redirector, targets, probe, failback, sessionLogSize, fenceUnavailable);
    }

    public StorageSettings withTargets(List<TargetSpec> targets) {
        return new StorageSettings(redirector, targets, probe, failback, sessionLogSize, fenceUnavailable);
    }

    public StorageSettings withProbe(ProbeSettings probe) {
        return new StorageSettings(redirector, targets, probe, failback, sessionLogSize, fenceUnavailable);
    }

    public StorageSettings withFenceUnavailable(boolean fenceUnavailable) {
        return new StorageSettings(redirector, targets, probe, failback, sessionLogSize, fenceUnavailable);
    }

    public StorageSettings withFailback(FailbackSettings failback) {
        return new StorageSettings(redirector, targets, probe, failback, sessionLogSize, fenceUnavailable);
    }
}
