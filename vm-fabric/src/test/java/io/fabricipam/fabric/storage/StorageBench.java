package io.fabricipam.fabric.storage;

import io.fabricipam.fabric.storage.health.IscsiInitiatorConnection;
import io.fabricipam.fabric.storage.iscsi.LoginResponse;
import io.fabricipam.fabric.storage.iscsi.LoginStatus;
import io.fabricipam.fabric.storage.redirect.SessionOutcome;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.Portal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Measures the storage path on real parts (no assertions: figures to read and compare).
 * Run with {@code bench/storage/run [--logins N] [--rounds R] [--hang] [--no-fence]}.
 *
 * <ul>
 *   <li>redirect latency: Login Request sent to 0x0101 answer received, over many logins;</li>
 *   <li>what a redirect costs a real client: {@code iscsi-inq} through the redirector vs direct;</li>
 *   <li>failover: local tgtd crashed (SIGKILL) under a {@code qemu-io} reading every 10 ms: time to
 *       detection, to the redirect of qemu-io's reconnect and to its first read through the remote target;</li>
 *   <li>failback: local tgtd restarted: time to healthy, to the remote session being dropped
 *       (after the hold-down) and to the first read on the local target;</li>
 *   <li>with --hang: a hung (SIGSTOPped) local target; add --no-fence to see QEMU's own NOP check decide.</li>
 * </ul>
 */
public final class StorageBench {

    private static final Duration HOLD_DOWN = Duration.ofSeconds(2);
    private static final String QEMU = "iqn.2008-11.org.linux-kvm";

    public static void main(String[] args) throws Exception {
        int logins = intArg(args, "--logins", 2000);
        int rounds = intArg(args, "--rounds", 3);
        boolean hang = List.of(args).contains("--hang");
        boolean fence = !List.of(args).contains("--no-fence");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        try (StorageLab lab = StorageLab.start(new StorageLab.Ports(48, 13368, 49, 13369, 13374), HOLD_DOWN, fence)) {
            System.out.printf(Locale.ROOT, "storage bench: %d cores; probe every 200 ms, NOP timeout 500 ms, degraded after"
                    + " 1 miss, unavailable after 3, healthy after 5 good; failback hold-down %d ms%n",
                    Runtime.getRuntime().availableProcessors(), HOLD_DOWN.toMillis());
            redirectLatency(lab, logins);
            clientCost(lab, 40);
            failoverAndFailback(lab, rounds);
            if (hang) {
                hungTarget(lab, fence);
            }
            System.out.println("QEMU's own NOP check: 5 s interval, reconnect after 3 misses: ~15 s to notice a hung"
                    + " target (20 s worst case); target here: detection < 1 s, failover < 2 s");
        }
    }

    private static void redirectLatency(StorageLab lab, int logins) throws Exception {
        Portal redirector = new Portal("127.0.0.1", lab.redirectorPort);
        List<Long> answer = new ArrayList<>();
        List<Long> whole = new ArrayList<>();
        for (int i = 0; i < logins + 200; i++) {
            long start = System.nanoTime();
            try (IscsiInitiatorConnection c = IscsiInitiatorConnection.open(redirector, "iqn.2024-01.io.fabricipam:bench",
                    Duration.ofSeconds(2))) {
                long sent = System.nanoTime();
                LoginResponse r = c.loginOnce(c.baseKeys().with("TargetName", StorageLab.IQN), Duration.ofSeconds(2));
                long done = System.nanoTime();
                if (!r.status().equals(LoginStatus.TARGET_MOVED_TEMPORARILY)) {
                    throw new IllegalStateException("expected a redirect, got " + r.status());
                }
                if (i >= 200) { // the first 200 warm up the JIT
                    answer.add(done - sent);
                    whole.add(done - start);
                }
            }
        }
        System.out.printf(Locale.ROOT, "redirect latency, %d logins: login sent -> 0x0101 answer p50 %s p99 %s;"
                + " with TCP connect p50 %s p99 %s%n", logins, ms(pct(answer, 50)), ms(pct(answer, 99)),
                ms(pct(whole, 50)), ms(pct(whole, 99)));
    }

    private static void clientCost(StorageLab lab, int runs) {
        List<Long> via = new ArrayList<>();
        List<Long> direct = new ArrayList<>();
        String directUrl = "iscsi://127.0.0.1:" + lab.local.port() + "/" + StorageLab.IQN + "/1";
        for (int i = 0; i < runs; i++) {
            via.add(ExternalTools.run(Duration.ofSeconds(30), "iscsi-inq", lab.url()).took().toNanos());
            direct.add(ExternalTools.run(Duration.ofSeconds(30), "iscsi-inq", directUrl).took().toNanos());
        }
        System.out.printf(Locale.ROOT, "iscsi-inq (whole process), %d runs: through the redirector p50 %s, direct to the"
                + " target p50 %s%n", runs, ms(pct(via, 50)), ms(pct(direct, 50)));
    }

    private static void failoverAndFailback(StorageLab lab, int rounds) throws Exception {
        List<Long> degraded = new ArrayList<>();
        List<Long> unavailable = new ArrayList<>();
        List<Long> failover = new ArrayList<>();
        List<Long> healthy = new ArrayList<>();
        List<Long> dropped = new ArrayList<>();
        List<Long> landed = new ArrayList<>();
        long lostRaces = 0;
        long checked = 0;
        List<Long> redirected = new ArrayList<>();
        try (QemuIoReader qemu = QemuIoReader.start(lab.url(), 20_000, 10)) {
            StorageLab.await(() -> lab.local.show().contains("Initiator: " + QEMU + " "), b -> b,
                    Duration.ofSeconds(15), "qemu-io on the local target");
            for (int round = 0; round < rounds; round++) {
                TimeUnit.SECONDS.sleep(6); // libiscsi waits 5 s between two reconnects of one session
                Instant killedAt = Instant.now();
                long kill = System.nanoTime();
                lab.local.crash(); // SIGKILL: the target process dies, its sockets close at once
                // the state machine time-stamps its transitions
                degraded.add(Duration.between(killedAt, lab.awaitChange("local", killedAt, HealthState.DEGRADED,
                        Duration.ofSeconds(5)).at()).toNanos());
                // reads through the remote target are those after qemu-io was redirected there
                Instant movedAt = StorageLab.await(() -> lab.fabric.sessions().stream().filter(r -> !r.at().isBefore(killedAt)
                        && r.outcome() == SessionOutcome.REDIRECTED && QEMU.equals(r.initiatorName())
                        && "remote".equals(r.chosenTarget())).findFirst(), Optional::isPresent,
                        Duration.ofSeconds(30), "qemu-io to be redirected to the remote target").orElseThrow().at();
                long moved = kill + Duration.between(killedAt, movedAt).toNanos();
                redirected.add(moved - kill);
                failover.add(qemu.firstReadAfter(moved, 30_000) - kill);
                unavailable.add(Duration.between(killedAt, lab.awaitChange("local", killedAt, HealthState.UNAVAILABLE,
                        Duration.ofSeconds(5)).at()).toNanos());
                lostRaces += lab.fabric.sessions().stream().filter(r -> !r.at().isBefore(killedAt)
                        && r.outcome() == SessionOutcome.REDIRECTED && "local".equals(r.chosenTarget())).count();
                checked += lab.fabric.sessions().stream().filter(r -> !r.at().isBefore(killedAt)
                        && r.reason().startsWith("initiator came back from 'local'")).count();

                TimeUnit.SECONDS.sleep(6);
                Instant restoredAt = Instant.now();
                long restart = System.nanoTime();
                lab.restartLocal();
                lab.awaitHealth("local", HealthState.HEALTHY, Duration.ofSeconds(10));
                healthy.add(System.nanoTime() - restart);
                StorageLab.await(() -> lab.fabric.sessions().stream().anyMatch(r -> !r.at().isBefore(restoredAt)
                        && r.outcome() == SessionOutcome.DROPPED_FOR_FAILBACK), b -> b, Duration.ofSeconds(20), "a drop");
                long drop = System.nanoTime();
                dropped.add(drop - restart);
                StorageLab.await(() -> lab.local.show().contains("Initiator: " + QEMU + " "), b -> b,
                        Duration.ofSeconds(20), "qemu-io back on the local target");
                landed.add(qemu.firstReadAfter(System.nanoTime(), 10_000) - drop);
            }
        }
        System.out.printf(Locale.ROOT, "failover (local tgtd SIGKILLed under qemu-io reading every 10 ms), %d rounds, p50 / max:%n",
                rounds);
        row("  kill -> local DEGRADED (no longer preferred)", degraded);
        row("  kill -> qemu-io's reconnect redirected to remote", redirected);
        row("  kill -> local UNAVAILABLE", unavailable);
        row("  kill -> first read through the remote target", failover);
        System.out.printf(Locale.ROOT, "  reconnects that beat the probe and were caught by the login check: %d;"
                + " sent to the dying local target anyway: %d%n", checked, lostRaces);
        System.out.printf(Locale.ROOT, "failback (local tgtd restarted), %d rounds, p50 / max:%n", rounds);
        row("  restart -> local HEALTHY (5 good pings)", healthy);
        row("  restart -> remote session dropped (+ hold-down)", dropped);
        row("  drop -> first read on the local target", landed);
    }

    private static void hungTarget(StorageLab lab, boolean fence) throws Exception {
        try (QemuIoReader qemu = QemuIoReader.start(lab.url(), 20_000, 10)) {
            StorageLab.await(() -> lab.local.show().contains("Initiator: " + QEMU + " "), b -> b,
                    Duration.ofSeconds(15), "qemu-io on the local target");
            TimeUnit.SECONDS.sleep(6);
            long freeze = System.nanoTime();
            lab.local.freeze();
            try {
                Instant frozenAt = Instant.now().minusNanos(System.nanoTime() - freeze);
                long detected = Duration.between(frozenAt, lab.awaitChange("local", frozenAt, HealthState.DEGRADED,
                        Duration.ofSeconds(5)).at()).toNanos();
                long read = qemu.firstReadAfter(freeze + TimeUnit.MILLISECONDS.toNanos(50), 60_000) - freeze;
                System.out.printf(Locale.ROOT, "hung local target (SIGSTOP): probe detection %s; first read through the"
                        + " remote target %s (%s)%n", ms(detected), ms(read), fence
                        ? "connections cut by the fence once UNAVAILABLE" : "no fence: QEMU's own NOP check had to notice");
            } finally {
                lab.local.thaw();
            }
        }
    }

    private static void row(String what, List<Long> nanos) {
        System.out.printf(Locale.ROOT, "%-52s %9s / %9s%n", what, ms(pct(nanos, 50)), ms(Collections.max(nanos)));
    }

    private static long pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, nanos < 10_000_000 ? "%.3f ms" : "%.0f ms", nanos / 1e6);
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
