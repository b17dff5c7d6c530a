package io.fabricipam.fabric.storage.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.ExternalTools;
import io.fabricipam.fabric.storage.StorageLab;
import io.fabricipam.fabric.storage.TgtDaemon;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.TargetSpec;
import io.fabricipam.fabric.storage.target.TargetStatus;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
                Clock.systemUTC(), published::add);
        prober.start();
        StorageLab.await(prober::latest, s -> s.health() == HealthState.HEALTHY, BOUND, "healthy");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (prober != null) {
                prober.close();
            }
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
