package io.fabricipam.fabric.storage;

import io.fabricipam.fabric.storage.failback.FailbackSettings;
import io.fabricipam.fabric.storage.failback.SocketDestroyFence;
import io.fabricipam.fabric.storage.failback.TgtAdminDriver;
import io.fabricipam.fabric.storage.health.ProbeSettings;
import io.fabricipam.fabric.storage.redirect.RedirectorSettings;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Two real tgtd instances ("local" and "remote") exporting the same IQN from the same sparse
 * file, and a {@link StorageFabric} whose redirector fronts them. Same IQN because a redirected
 * initiator logs in again with the TargetName it asked for; same file because that is what a
 * distributed storage layer gives every node (a write through one target is read through the
 * other), so a failover does not change the data under the guest.
 */
public final class StorageLab implements AutoCloseable {

    public static final String IQN = "iqn.2024-01.io.fabricipam:vm-disk-1";
    public static final long LUN_BYTES = 64L << 20;

    public final Path dir;
    public final Path lunFile;
    public final TgtDaemon local;
    public final TgtDaemon remote;
    public final StorageFabric fabric;
    public final int redirectorPort;
    /** Every health change of every target since the lab started. */
    public final List<HealthChange> changes = new CopyOnWriteArrayList<>();

    public record Ports(int localControl, int localPort, int remoteControl, int remotePort, int redirector) {
    }

    private StorageLab(Path dir, Path lunFile, TgtDaemon local, TgtDaemon remote, StorageFabric fabric, int redirectorPort) {
        this.dir = dir;
        this.lunFile = lunFile;
        this.local = local;
        this.remote = remote;
        this.fabric = fabric;
        this.redirectorPort = redirectorPort;
    }

    public static StorageLab start(Ports ports, Duration holdDown) throws Exception {
        return start(ports, holdDown, true);
    }

    /** @param fence cut this host's connections to a target that becomes unavailable (the default) */
    public static StorageLab start(Ports ports, Duration holdDown, boolean fence) throws Exception {
        ExternalTools.requireInstalled("tgtd", "tgtadm");
        Path dir = Files.createTempDirectory("storage-lab-");
        Path lun = dir.resolve("lun.img");
        try (RandomAccessFile file = new RandomAccessFile(lun.toFile(), "rw")) {
            file.setLength(LUN_BYTES); // sparse
        }
        TgtDaemon local = null;
        TgtDaemon remote = null;
        StorageFabric fabric = null;
        try {
            local = TgtDaemon.start(ports.localControl(), ports.localPort(), dir);
            local.addTarget(1, IQN, lun);
            remote = TgtDaemon.start(ports.remoteControl(), ports.remotePort(), dir);
            remote.addTarget(1, IQN, lun);
            StorageSettings settings = StorageSettings.defaults()
                    .withRedirector(RedirectorSettings.listeningOn(new Portal("127.0.0.1", ports.redirector()))
                            .withLimits(16, Duration.ofSeconds(2), Duration.ofSeconds(5)))
                    .withProbe(ProbeSettings.DEFAULT)
                    .withFailback(FailbackSettings.DEFAULT.withHoldDown(holdDown))
                    .withFenceUnavailable(fence)
                    .withTargets(List.of(
                            new TargetSpec("local", new Portal("127.0.0.1", ports.localPort()), true, List.of(),
                                    Integer.toString(ports.localControl())),
                            new TargetSpec("remote", new Portal("127.0.0.1", ports.remotePort()), false, List.of(),
                                    Integer.toString(ports.remoteControl()))));
            fabric = new StorageFabric(settings, TgtAdminDriver.onThisHost(), SocketDestroyFence.onThisHost(),
                    Clock.systemUTC());
            StorageLab lab = new StorageLab(dir, lun, local, remote, fabric, ports.redirector());
            fabric.addHealthListener(lab.changes::add);
            fabric.start();
            lab.awaitHealth("local", HealthState.HEALTHY, Duration.ofSeconds(10));
            lab.awaitHealth("remote", HealthState.HEALTHY, Duration.ofSeconds(10));
            return lab;
        } catch (Exception | AssertionError e) {
            if (fabric != null) {
                fabric.close();
            }
            if (local != null) {
                local.close();
            }
            if (remote != null) {
                remote.close();
            }
            deleteTree(dir);
            throw e;
        }
    }

    public String url(String iqn) {
        return "iscsi://127.0.0.1:" + redirectorPort + "/" + iqn + "/1";
    }

    public String url() {
        return url(IQN);
    }

    public TargetView target(String name) {
        return fabric.target(name).orElseThrow();
    }

    /** Polls (every 20 ms, bounded) until the target reaches {@code state}; fails with the last view otherwise. */
    public TargetView awaitHealth(String name, HealthState state, Duration max) throws InterruptedException {
        return await(() -> target(name), v -> v.health() == state, max, "target " + name + " to become " + state);
    }

    /** The first change of {@code target} to {@code state} at or after {@code since}, waiting up to {@code max}. */
    public HealthChange awaitChange(String target, Instant since, HealthState state, Duration max)
            throws InterruptedException {
        return await(() -> changes.stream().filter(c -> c.target().equals(target) && c.to() == state
                && !c.at().isBefore(since)).findFirst(), Optional::isPresent, max,
                target + " to change to " + state + " after " + since).orElseThrow();
    }

    public static <T> T await(Supplier<T> value, Predicate<T> done, Duration max, String what)
            throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("waited " + max + " for " + what + "; last seen: " + last);
            }
            TimeUnit.MILLISECONDS.sleep(20);
            last = value.get();
        }
        return last;
    }

    /** Starts the stopped local target again on the same ports, same IQN and file. */
    public void restartLocal() throws Exception {
        local.restart();
        local.addTarget(1, IQN, lunFile);
    }

    public void restartRemote() throws Exception {
        remote.restart();
        remote.addTarget(1, IQN, lunFile);
    }

    @Override
    public void close() throws Exception {
        try {
            fabric.close();
        } finally {
            try {
                local.close();
            } finally {
                try {
                    remote.close();
                } finally {
                    deleteTree(dir);
                }
            }
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
