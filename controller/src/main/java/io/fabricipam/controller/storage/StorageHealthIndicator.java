package io.fabricipam.controller.storage;

import io.fabricipam.fabric.storage.StorageFabric;
import io.fabricipam.fabric.storage.TargetView;
import io.fabricipam.fabric.storage.target.HealthState;
import java.util.List;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "storage": up while the redirector runs; details count targets by
 * health. No healthy target is not "down" for the service (the redirector still answers, with 0x0301), but
 * it is reported.
 */
@Component("storage")
class StorageHealthIndicator implements HealthIndicator {

    private final StorageLifecycle storage;
    private final StorageProperties properties;

    StorageHealthIndicator(StorageLifecycle storage, StorageProperties properties) {
        this.storage = storage;
        this.properties = properties;
    }

    @Override
    public Health health() {
        if (!properties.enabled()) {
            return Health.up().withDetail("enabled", false).build();
        }
        StorageFabric fabric = storage.fabric();
        if (fabric == null) {
            return Health.down().withDetail("redirector", "not running").build();
        }
        List<TargetView> targets = fabric.targets();
        return Health.up().withDetail("redirector", fabric.redirectorAddress().toString())
                .withDetail("targets", targets.size())
                .withDetail("healthy", targets.stream().filter(t -> t.health() == HealthState.HEALTHY).count())
                .withDetail("unavailable", targets.stream().filter(t -> t.health() == HealthState.UNAVAILABLE).count())
                .build();
    }
}
