package io.fabricipam.fabric.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.fabric.storage.disk.Allocation;
import io.fabricipam.fabric.storage.disk.DiskDescription;
import io.fabricipam.fabric.storage.disk.DiskFormat;
import io.fabricipam.fabric.storage.disk.DiskSourceType;
import io.fabricipam.fabric.storage.failback.TargetAdminDriver;
import io.fabricipam.fabric.storage.health.IscsiInitiatorConnection;
import io.fabricipam.fabric.storage.health.ProbeScheduler;
import io.fabricipam.fabric.storage.health.ProbeSettings;
import io.fabricipam.fabric.storage.iscsi.LoginResponse;
import io.fabricipam.fabric.storage.iscsi.LoginStatus;
import io.fabricipam.fabric.storage.redirect.RedirectorSettings;
import io.fabricipam.fabric.storage.redirect.SessionOutcome;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.PathState;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The facade's lifecycle and wiring, on loopback with no target software (targets point at a closed port). */
class StorageFabricTest {

    private final StorageFabric fabric = new StorageFabric(StorageSettings.defaults()
            .withRedirector(RedirectorSettings.listeningOn(new Portal("127.0.0.1", 0))), TargetAdminDriver.NONE,
            Clock.systemUTC());

    @AfterEach
    void close() {
        fabric.close();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void goesFromLatentToStartedToClosedAndNoFurther() throws Exception {
        assertThat(fabric.state()).isEqualTo(StorageFabric.State.LATENT);
        fabric.start();
        assertThat(fabric.state()).isEqualTo(StorageFabric.State.STARTED);
        assertThat(fabric.redirectorAddress().port()).isPositive();
        assertThatThrownBy(fabric::start).isInstanceOf(IllegalStateException.class);
        fabric.close();
        assertThat(fabric.state()).isEqualTo(StorageFabric.State.CLOSED);
        fabric.close(); // idempotent
        assertThatThrownBy(fabric::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> fabric.registerTarget(TargetSpec.of("x", "127.0.0.1:3260", true)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void registersListsAndRemovesTargets() throws Exception {
        TargetView view = fabric.registerTarget(TargetSpec.of("local", "127.0.0.1:" + closedPort(), true));
        assertThat(view.health()).isEqualTo(HealthState.UNAVAILABLE);
        assertThat(view.healthReason()).isEqualTo("not probed yet");
        assertThat(view.pathState()).isEqualTo(PathState.UNAVAILABLE);
        assertThat(view.nopLastMillis()).isNull();
        assertThatThrownBy(() -> fabric.registerTarget(TargetSpec.of("local", "127.0.0.1:1", false)))
                .isInstanceOf(DuplicateTargetException.class).hasMessageContaining("already registered");
        fabric.registerTarget(TargetSpec.of("remote", "127.0.0.1:" + closedPort(), false));
        assertThat(fabric.targets()).extracting(TargetView::name).containsExactly("local", "remote");
        assertThat(fabric.removeTarget("local")).isTrue();
        assertThat(fabric.removeTarget("local")).isFalse();
        assertThat(fabric.targets()).extracting(TargetView::name).containsExactly("remote");
    }

    @Test
    void probesTargetsRegisteredAfterStartAndRefusesLoginsWhileNoneIsUsable() throws Exception {
        fabric.start();
        fabric.registerTarget(TargetSpec.of("down", "127.0.0.1:" + closedPort(), true));
        TargetView down = StorageLab.await(() -> fabric.target("down").orElseThrow(),
                v -> v.healthReason().contains("Connection refused"), Duration.ofSeconds(5), "a probe to run");
        assertThat(down.health()).isEqualTo(HealthState.UNAVAILABLE);

        try (IscsiInitiatorConnection client = IscsiInitiatorConnection.open(fabric.redirectorAddress(),
                "iqn.2024-01.io.example:unit", Duration.ofSeconds(2))) {
            LoginResponse answer = client.loginOnce(client.baseKeys().with("TargetName", "iqn.2024-01.x:any"),
                    Duration.ofSeconds(2));
            assertThat(answer.status()).isEqualTo(LoginStatus.SERVICE_UNAVAILABLE);
        }
        assertThat(fabric.sessions()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(SessionOutcome.REFUSED_UNAVAILABLE);
            assertThat(r.initiatorName()).isEqualTo("iqn.2024-01.io.example:unit");
        });
        assertThat(fabric.redirectorStats().accepted()).isEqualTo(1);
    }

    @Test
    void rendersDiskXmlWithoutBeingStarted() {
        assertThat(fabric.renderDisk(DiskDescription.of(DiskSourceType.FILE, "/i.img", DiskFormat.RAW,
                Allocation.PREALLOCATED, 2)).disk()).contains("io=\"native\"");
    }

    @Test
    void refusesToStartOnAnAddressInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StorageFabric clash = new StorageFabric(StorageSettings.defaults().withRedirector(
                    RedirectorSettings.listeningOn(new Portal("127.0.0.1", taken.getLocalPort()))),
                    TargetAdminDriver.NONE, Clock.systemUTC());
            assertThatThrownBy(clash::start).hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(clash.state()).isEqualTo(StorageFabric.State.LATENT);
            clash.close();
        }
    }

    /** Live threads whose name starts with {@code prefix}. */
    static long threadsNamed(String prefix) {
        Set<Thread> threads = Thread.getAllStackTraces().keySet();
        return threads.stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    @Test
    void probesManyTargetsOnAFewSharedThreadsAndCapsHowManyThereAre() throws Exception {
        int max = StorageFabric.MAX_TARGETS;
        int threadsBefore = Thread.activeCount();
        try (StorageFabric many = new StorageFabric(StorageSettings.defaults()
                .withRedirector(RedirectorSettings.listeningOn(new Portal("127.0.0.1", 0)))
                .withProbe(ProbeSettings.DEFAULT.withInterval(Duration.ofMillis(500))),
                TargetAdminDriver.NONE, Clock.systemUTC())) {
            many.start();
            int port = closedPort();
            for (int i = 0; i < max; i++) {
                many.registerTarget(TargetSpec.of("t" + i, "127.0.0.1:" + port, false));
            }
            StorageLab.await(() -> many.targets().stream().allMatch(v -> v.healthReason().contains("refused")), b -> b,
                    Duration.ofSeconds(20), "every target to be probed");
            assertThat(threadsNamed(ProbeScheduler.THREAD_PREFIX))
                    .isBetween(1L, (long) ProbeScheduler.ANSWERING_THREADS + ProbeScheduler.SILENT_THREADS);
            assertThat(Thread.activeCount() - threadsBefore).as("threads added by the fabric").isLessThan(16);
            assertThat(many.removeTarget("t0")).isTrue();
            many.registerTarget(TargetSpec.of("room-again", "127.0.0.1:" + port, false));
        }
        StorageLab.await(() -> threadsNamed("storage-probe"), n -> n == 0, Duration.ofSeconds(5), "probe threads to end");
    }
}
