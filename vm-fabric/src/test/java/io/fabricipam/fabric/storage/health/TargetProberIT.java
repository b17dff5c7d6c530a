package io.fabricipam.fabric.storage.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.ExternalTools;
import io.fabricipam.fabric.storage.StorageLab;
import io.fabricipam.fabric.storage.TgtDaemon;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.TargetSpec;
import io.fabricipam.fabric.storage.target.TargetStatus;
import io.fabricipam.fabric.storage.target.Portal;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The prober against a real tgtd: a hung daemon, and a daemon that pings the prober itself. */
class TargetProberIT {

    private static final String IQN = "iqn.2024-01.io.fabricipam:probe-me";
    private static final Duration BOUND = Duration.ofSeconds(10);
    private Path dir;
    private TgtDaemon tgtd;
    private final List<TargetStatus> published = new CopyOnWriteArrayList<>();
    private TargetProber prober;
    private final ProbeScheduler scheduler = new ProbeScheduler();

    @BeforeEach
    void start() throws Exception {
        ExternalTools.requireInstalled("tgtd", "tgtadm");
        dir = Files.createTempDirectory("prober-");
        Path lun = dir.resolve("lun.img");
        try (RandomAccessFile file = new RandomAccessFile(lun.toFile(), "rw")) {
            file.setLength(8L << 20);
        }
        tgtd = TgtDaemon.start(46, 13366, dir);
        tgtd.addTarget(1, IQN, lun);
        prober = new TargetProber(TargetSpec.of("t", "127.0.0.1:13366", true), ProbeSettings.DEFAULT,
                Clock.systemUTC(), scheduler, published::add);
        prober.start();
        StorageLab.await(prober::latest, s -> s.health() == HealthState.HEALTHY, BOUND, "healthy");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (prober != null) {
                prober.close();
            }
            scheduler.close();
            if (tgtd != null) {
                tgtd.close();
            }
        } finally {
            StorageLab.deleteTree(dir);
        }
    }

    @Test
    void aHungTargetBecomesUnavailableAndComesBackHealthy() throws Exception {
        assertThat(prober.latest().iqns()).containsExactly(IQN);
        assertThat(prober.latest().latency().samples()).isPositive();
        tgtd.freeze(); // the process keeps its sockets but answers nothing: connects succeed, pings time out
        try {
            TargetStatus degraded = StorageLab.await(prober::latest, s -> s.health() == HealthState.DEGRADED, BOUND, "degraded");
            assertThat(degraded.reason()).startsWith("ping missed:");
            TargetStatus down = StorageLab.await(prober::latest, s -> s.health() == HealthState.UNAVAILABLE, BOUND, "unavailable");
            assertThat(down.reason()).matches("\\d+ pings missed in a row: .*");
        } finally {
            tgtd.thaw();
        }
        TargetStatus back = StorageLab.await(prober::latest, s -> s.health() == HealthState.HEALTHY, BOUND, "healthy again");
        assertThat(back.reason()).isEqualTo("5 good pings in a row");
        assertThat(published).extracting(TargetStatus::health)
                .containsSubsequence(HealthState.HEALTHY, HealthState.DEGRADED, HealthState.UNAVAILABLE,
                        HealthState.DEGRADED, HealthState.HEALTHY);
    }

    @Test
    void hungTargetsDoNotDelayTheProbesOfAHealthyOne() throws Exception {
        // Listeners that never accept: the kernel completes each connect, then nothing answers the login,
        // so every tick of theirs holds a probe thread for the whole timeout, like a frozen target.
        List<ServerSocket> hung = new ArrayList<>();
        List<TargetProber> hungProbers = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                ServerSocket silent = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
                hung.add(silent);
                TargetProber p = new TargetProber(new TargetSpec("hung" + i, new Portal("127.0.0.1", silent.getLocalPort()),
                        false, List.of(IQN), null), ProbeSettings.DEFAULT, Clock.systemUTC(), scheduler, s -> { });
                hungProbers.add(p);
                p.start();
            }
            StorageLab.await(() -> hungProbers.stream().allMatch(p -> p.latest().reason().contains("timed out")
                    || p.latest().reason().contains("deadline")), b -> b, BOUND, "every hung target to time out once");
            int before = published.size();
            long start = System.nanoTime();
            Thread.sleep(3000);
            double seconds = (System.nanoTime() - start) / 1e9;
            List<TargetStatus> during = List.copyOf(published.subList(before, published.size()));
            // one ping per 200 ms: ~15 in 3 s. Sixteen hung targets on one shared pool would leave it a few.
            assertThat(during.size()).as("pings of the healthy target in %.1f s", seconds).isGreaterThanOrEqualTo(10);
            assertThat(during).extracting(TargetStatus::health).containsOnly(HealthState.HEALTHY);
            assertThat(hungProbers).allSatisfy(p -> assertThat(p.latest().health()).isEqualTo(HealthState.UNAVAILABLE));
        } finally {
            hungProbers.forEach(TargetProber::close);
            for (ServerSocket s : hung) {
                s.close();
            }
        }
    }

    @Test
    void answersTheTargetsOwnPingsAndStaysHealthy() throws Exception {
        // tgtd pings every initiator each second and drops one that misses 2 answers.
        tgtd.tgtadm("--lld", "iscsi", "--op", "update", "--mode", "target", "--tid", "1", "--name", "nop_interval",
                "--value", "1");
        tgtd.tgtadm("--lld", "iscsi", "--op", "update", "--mode", "target", "--tid", "1", "--name", "nop_count",
                "--value", "2");
        // the new settings apply to new sessions: make the prober log in again
        int before = published.size();
        tgtd.stop();
        tgtd.restart();
        tgtd.addTarget(1, IQN, dir.resolve("lun.img"));
        tgtd.tgtadm("--lld", "iscsi", "--op", "update", "--mode", "target", "--tid", "1", "--name", "nop_interval",
                "--value", "1");
        tgtd.tgtadm("--lld", "iscsi", "--op", "update", "--mode", "target", "--tid", "1", "--name", "nop_count",
                "--value", "2");
        StorageLab.await(prober::latest, s -> s.health() == HealthState.HEALTHY && published.size() > before + 10,
                BOUND, "healthy on the new daemon");
        int settled = published.size();
        // Four of tgtd's ping rounds; an unanswered round of two would drop the session and show as a miss.
        StorageLab.await(published::size, n -> n >= settled + 20, BOUND, "20 more pings");
        assertThat(published.subList(settled, published.size())).extracting(TargetStatus::health)
                .containsOnly(HealthState.HEALTHY);
        assertThat(tgtd.show()).contains("Nop interval: 1").contains("Initiator: " + ProbeSettings.DEFAULT_INITIATOR_NAME);
    }
}
