package io.fabricipam.fabric.storage.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.StorageLab;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.TargetSpec;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Probers on loopback without target software: a closed port refuses at once. */
class TargetProberTest {

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static long probeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(ProbeScheduler.THREAD_PREFIX)).count();
    }

    @Test
    void aThousandTargetsShareAFewThreads() throws Exception {
        int port = closedPort();
        int threadsBefore = Thread.activeCount();
        ProbeSettings settings = ProbeSettings.DEFAULT.withInterval(Duration.ofSeconds(1));
        AtomicInteger published = new AtomicInteger();
        List<TargetProber> probers = new ArrayList<>();
        try (ProbeScheduler scheduler = new ProbeScheduler()) {
            for (int i = 0; i < 1000; i++) {
                TargetProber prober = new TargetProber(TargetSpec.of("t" + i, "127.0.0.1:" + port, false), settings,
                        Clock.systemUTC(), scheduler, s -> published.incrementAndGet());
                probers.add(prober);
                prober.start();
            }
            StorageLab.await(() -> probers.stream().allMatch(p -> p.latest().reason().contains("refused")), b -> b,
                    Duration.ofSeconds(30), "every target to be probed once");
            assertThat(probers).allSatisfy(p -> assertThat(p.latest().health()).isEqualTo(HealthState.UNAVAILABLE));
            assertThat(probeThreads()).isBetween(1L, (long) ProbeScheduler.ANSWERING_THREADS + ProbeScheduler.SILENT_THREADS);
            assertThat(Thread.activeCount() - threadsBefore).as("threads added for 1,000 targets").isLessThan(10);
            probers.forEach(TargetProber::close);
            int after = published.get();
            Thread.sleep(1500);
            assertThat(published.get()).as("no tick after close").isEqualTo(after);
        }
        StorageLab.await(TargetProberTest::probeThreads, n -> n == 0, Duration.ofSeconds(5), "probe threads to end");
    }
}
