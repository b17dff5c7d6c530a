package io.fabricipam.fabric.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.redirect.SessionOutcome;
import io.fabricipam.fabric.storage.redirect.SessionRecord;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.PathState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kill the local target under a reading initiator: the probe notices, new logins and the
 * initiator's reconnect go to the remote target; bring the local one back: after the hold-down
 * the remote session is dropped and the initiator lands locally again. And with no target at
 * all: a clean refusal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageFailoverIT {

    private static final Logger log = LoggerFactory.getLogger(StorageFailoverIT.class);
    private static final String QEMU_INITIATOR = "iqn.2008-11.org.linux-kvm";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private StorageLab lab;

    @BeforeAll
    void startLab() throws Exception {
        ExternalTools.requireInstalled("iscsi-inq", "qemu-io", "stdbuf");
        lab = StorageLab.start(new StorageLab.Ports(43, 13363, 44, 13364, 13372), Duration.ofSeconds(1));
    }

    @AfterAll
    void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    /** Whatever a test did, the next one starts with both targets up and healthy. */
    @AfterEach
    void restoreTargets() throws Exception {
        if (lab == null) {
            return;
        }
        if (!lab.local.alive()) {
            lab.restartLocal();
        }
        if (!lab.remote.alive()) {
            lab.restartRemote();
        }
        lab.awaitHealth("local", HealthState.HEALTHY, Duration.ofSeconds(10));
        lab.awaitHealth("remote", HealthState.HEALTHY, Duration.ofSeconds(10));
    }

    private List<SessionRecord> sessionsSince(Instant since, SessionOutcome outcome) {
        return lab.fabric.sessions().stream().filter(r -> !r.at().isBefore(since) && r.outcome() == outcome).toList();
    }

    private static boolean serves(TgtDaemon daemon, String initiator) {
        return daemon.alive() && daemon.show().contains("Initiator: " + initiator + " ");
    }

    @Test
    void failsOverWhenTheLocalTargetDiesAndFailsBackWhenItReturns() throws Exception {
        try (QemuIoReader qemu = QemuIoReader.start(lab.url(), 1200, 50)) {
            StorageLab.await(() -> serves(lab.local, QEMU_INITIATOR), b -> b, Duration.ofSeconds(15),
                    "qemu-io to log in to the local target");
            qemu.firstReadAfter(System.nanoTime(), 10_000);

            // Kill the local target the way it dies in production: sessions dropped, then the daemon gone.
            Instant killedAt = Instant.now();
            long killed = System.nanoTime();
            lab.local.stop();
            HealthChange degraded = lab.awaitChange("local", killedAt, HealthState.DEGRADED, Duration.ofSeconds(5));
            assertThat(degraded.from()).isEqualTo(HealthState.HEALTHY);
            long failedOver = qemu.firstReadAfter(killed, 20_000);
            lab.awaitChange("local", killedAt, HealthState.UNAVAILABLE, Duration.ofSeconds(5));
            TargetView down = lab.target("local");
            assertThat(down.pathState()).isEqualTo(PathState.UNAVAILABLE);
            assertThat(down.explanation()).contains("never chosen");
            StorageLab.await(() -> serves(lab.remote, QEMU_INITIATOR), b -> b, Duration.ofSeconds(15),
                    "qemu-io to reconnect to the remote target");
            assertThat(sessionsSince(killedAt, SessionOutcome.REDIRECTED))
                    .anySatisfy(r -> {
                        assertThat(r.initiatorName()).isEqualTo(QEMU_INITIATOR);
                        assertThat(r.chosenTarget()).isEqualTo("remote");
                        // "passed over: local target" unless the returning-initiator check already struck
                        // the local target off before the choice (the reconnect raced the probe)
                        assertThat(r.reason()).contains("remote target 'remote'");
                    });
            // The reconnect may reach the redirector before the probe sees the drop; the login check
            // on a returning initiator keeps it from being sent back to the dying target.
            assertThat(sessionsSince(killedAt, SessionOutcome.REDIRECTED)).noneSatisfy(
                    r -> assertThat(r.chosenTarget()).isEqualTo("local"));
            log.info("failover: detection {} ms, first read through the remote target {} ms after the kill",
                    Duration.between(killedAt, degraded.at()).toMillis(), TimeUnit.NANOSECONDS.toMillis(failedOver - killed));

            // A new login now goes to the remote target too.
            ExternalTools.Result inq = ExternalTools.run(CLIENT_TIMEOUT, "iscsi-inq", lab.url());
            assertThat(inq.exitCode()).as(inq.all()).isZero();
            assertThat(sessionsSince(killedAt, SessionOutcome.REDIRECTED))
                    .anySatisfy(r -> assertThat(r.initiatorName()).endsWith(":iscsi-inq"))
                    .filteredOn(r -> r.initiatorName().endsWith(":iscsi-inq"))
                    .allSatisfy(r -> assertThat(r.chosenTarget()).isEqualTo("remote"));

            // libiscsi refuses to reconnect twice within 5 s; give it that before bringing local back.
            TimeUnit.SECONDS.sleep(4);
            Instant restoredAt = Instant.now();
            long restored = System.nanoTime();
            lab.restartLocal();
            lab.awaitHealth("local", HealthState.HEALTHY, Duration.ofSeconds(10));
            StorageLab.await(() -> sessionsSince(restoredAt, SessionOutcome.DROPPED_FOR_FAILBACK), l -> !l.isEmpty(),
                    Duration.ofSeconds(15), "failback to drop the remote session");
            SessionRecord drop = sessionsSince(restoredAt, SessionOutcome.DROPPED_FOR_FAILBACK).get(0);
            assertThat(drop.initiatorName()).isEqualTo(QEMU_INITIATOR);
            assertThat(drop.chosenTarget()).isEqualTo("remote");
            assertThat(drop.reason()).contains("hold-down 1000 ms");
            long dropped = System.nanoTime();
            StorageLab.await(() -> serves(lab.local, QEMU_INITIATOR) && !serves(lab.remote, QEMU_INITIATOR), b -> b,
                    Duration.ofSeconds(20), "qemu-io to land on the local target again");
            long failedBack = qemu.firstReadAfter(System.nanoTime(), 10_000);
            assertThat(sessionsSince(restoredAt, SessionOutcome.REDIRECTED)).anySatisfy(r -> {
                assertThat(r.initiatorName()).isEqualTo(QEMU_INITIATOR);
                assertThat(r.chosenTarget()).isEqualTo("local");
            });
            // the probe's own session on the remote target is never dropped
            assertThat(serves(lab.remote, "iqn.2024-01.io.fabricipam:health-probe")).isTrue();
            assertThat(qemu.alive()).as("qemu-io kept running: " + qemu.messages()).isTrue();
            log.info("failback: drop {} ms after the restart, reads on the local target again {} ms after the drop",
                    TimeUnit.NANOSECONDS.toMillis(dropped - restored), TimeUnit.NANOSECONDS.toMillis(failedBack - dropped));
        }
    }

    @Test
    void failsOverFromAHungTargetByCuttingItsConnections() throws Exception {
        ExternalTools.requireSocketDestroy();
        try (QemuIoReader qemu = QemuIoReader.start(lab.url(), 1200, 50)) {
            StorageLab.await(() -> serves(lab.local, QEMU_INITIATOR), b -> b, Duration.ofSeconds(15),
                    "qemu-io to log in to the local target");
            Instant frozenAt = Instant.now();
            lab.local.freeze(); // alive but silent: QEMU alone would wait 3 NOPs of 5 s before reconnecting
            try {
                lab.awaitChange("local", frozenAt, HealthState.UNAVAILABLE, Duration.ofSeconds(10));
                SessionRecord fenced = StorageLab.await(() -> sessionsSince(frozenAt, SessionOutcome.FENCED_FOR_FAILOVER),
                        l -> !l.isEmpty(), Duration.ofSeconds(5), "the fence to cut the connections").get(0);
                assertThat(fenced.chosenTarget()).isEqualTo("local");
                assertThat(fenced.reason()).contains("closed").contains("pings missed");
                // Well inside QEMU's own 15 s, qemu-io is on the remote target.
                StorageLab.await(() -> serves(lab.remote, QEMU_INITIATOR), b -> b, Duration.ofSeconds(10),
                        "qemu-io to reconnect to the remote target");
                long reading = qemu.firstReadAfter(System.nanoTime(), 10_000);
                assertThat(reading).isPositive();
                assertThat(sessionsSince(frozenAt, SessionOutcome.REDIRECTED)).anySatisfy(r -> {
                    assertThat(r.initiatorName()).isEqualTo(QEMU_INITIATOR);
                    assertThat(r.chosenTarget()).isEqualTo("remote");
                });
                log.info("hung target: unavailable {} ms after the freeze, connections cut {} ms after it",
                        Duration.between(frozenAt, lab.changes.stream().filter(c -> c.target().equals("local")
                                && c.to() == HealthState.UNAVAILABLE && !c.at().isBefore(frozenAt)).findFirst()
                                .orElseThrow().at()).toMillis(), Duration.between(frozenAt, fenced.at()).toMillis());
            } finally {
                lab.local.thaw();
            }
        }
    }

    @Test
    void refusesCleanlyWhenNoTargetIsHealthy() throws Exception {
        Instant since = Instant.now();
        lab.local.stop();
        lab.remote.stop();
        lab.awaitHealth("local", HealthState.UNAVAILABLE, Duration.ofSeconds(5));
        lab.awaitHealth("remote", HealthState.UNAVAILABLE, Duration.ofSeconds(5));

        ExternalTools.Result inq = ExternalTools.run(CLIENT_TIMEOUT, "iscsi-inq", lab.url());
        assertThat(inq.exitCode()).isNotZero();
        assertThat(inq.all()).contains("Service unavailable");
        assertThat(sessionsSince(since, SessionOutcome.REFUSED_UNAVAILABLE)).anySatisfy(r -> {
            assertThat(r.initiatorName()).endsWith(":iscsi-inq");
            assertThat(r.reason()).contains("no usable target for " + StorageLab.IQN)
                    .contains("local target 'local'").contains("remote target 'remote'");
        });
        // discovery still answers, with nothing behind the redirector
        ExternalTools.Result ls = ExternalTools.run(CLIENT_TIMEOUT, "iscsi-ls", "iscsi://127.0.0.1:13372");
        assertThat(ls.all()).doesNotContain("Target:");
        assertThat(lab.fabric.route(StorageLab.IQN).target()).isNull();
    }
}
