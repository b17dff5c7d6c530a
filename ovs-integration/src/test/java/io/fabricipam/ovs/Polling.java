package io.fabricipam.ovs;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for tests: the condition is checked every {@code every} until it holds or {@code limit} passes. */
public final class Polling {

    private Polling() {
    }

    public static boolean await(Duration limit, Duration every, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
