package io.fabricipam.fabric.storage.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared probe threads, with stand-in ticks: a tick that sleeps plays a hung target's timeout. */
class ProbeSchedulerTest {

    private final ProbeScheduler scheduler = new ProbeScheduler();

    @AfterEach
    void close() {
        scheduler.close();
    }

    /** A self-rescheduling tick, as a prober's: one in flight at a time, {@code work} ms long, every {@code every} ms. */
    private void repeat(ProbeScheduler.Lane lane, long workMillis, long everyMillis, AtomicInteger runs) {
        scheduler.schedule(lane, () -> {
            runs.incrementAndGet();
            sleep(workMillis);
            if (!scheduler.isClosed()) {
                try {
                    repeat(lane, workMillis, everyMillis, runs);
                } catch (RejectedExecutionException e) {
                    // closed meanwhile
                }
            }
        }, TimeUnit.MILLISECONDS.toNanos(everyMillis));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void hungTargetsInTheSilentLaneDoNotDelayAnsweringOnes() throws Exception {
        AtomicInteger hung = new AtomicInteger();
        AtomicInteger answering = new AtomicInteger();
        for (int i = 0; i < 32; i++) {
            repeat(ProbeScheduler.Lane.SILENT, 500, 20, hung); // each holds a thread for a whole "timeout"
        }
        repeat(ProbeScheduler.Lane.ANSWERING, 1, 20, answering);
        Thread.sleep(2000);
        // ~90 ticks expected at one per ~21 ms; on one shared pool the 32 hung ticks would leave it a handful
        assertThat(answering.get()).isGreaterThan(40);
        assertThat(hung.get()).as("hung ticks: 500 ms each on the silent lane alone").isLessThanOrEqualTo(ProbeScheduler.SILENT_THREADS * 5);
        assertThat(scheduler.threads()).isLessThanOrEqualTo(ProbeScheduler.ANSWERING_THREADS + ProbeScheduler.SILENT_THREADS);
    }

    @Test
    void startsThreadsOnlyAsNeededAndNamesThem() throws Exception {
        assertThat(scheduler.threads()).isZero();
        AtomicInteger runs = new AtomicInteger();
        String[] name = new String[1];
        scheduler.schedule(ProbeScheduler.Lane.ANSWERING, () -> {
            name[0] = Thread.currentThread().getName();
            runs.incrementAndGet();
        }, 0);
        for (int i = 0; i < 100 && runs.get() == 0; i++) {
            Thread.sleep(10);
        }
        assertThat(name[0]).isEqualTo("storage-probe-answering-1");
        assertThat(scheduler.threads()).isEqualTo(1);
    }

    @Test
    void refusesTicksOnceClosed() {
        scheduler.close();
        scheduler.close(); // idempotent
        assertThat(scheduler.isClosed()).isTrue();
        assertThatThrownBy(() -> scheduler.schedule(ProbeScheduler.Lane.SILENT, () -> { }, 0))
                .isInstanceOf(RejectedExecutionException.class);
    }
}
