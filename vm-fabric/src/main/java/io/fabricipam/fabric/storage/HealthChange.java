package io.fabricipam.fabric.storage;

import io.fabricipam.fabric.storage.target.HealthState;
import java.time.Instant;

/** A target changed health state: for events, metrics and measurements (see {@link StorageFabric#addHealthListener}). */
public record HealthChange(String target, HealthState from, HealthState to, Instant at, String reason) {
}
