package io.fabricipam.fabric.storage.failback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.fabric.storage.ExternalTools;
import io.fabricipam.fabric.storage.StorageLab;
import io.fabricipam.fabric.storage.TgtDaemon;
import io.fabricipam.fabric.storage.health.IscsiInitiatorConnection;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tgtadm through the driver against a real tgtd: list who is connected, drop one connection. */
class TgtAdminDriverIT {

    private static final String IQN = "iqn.2024-01.io.fabricipam:admin-me";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private Path dir;
    private TgtDaemon tgtd;
    private final TgtAdminDriver driver = TgtAdminDriver.onThisHost();
    private final TargetSpec target = new TargetSpec("t", new Portal("127.0.0.1", 13367), false, List.of(), "47");

    @BeforeEach
    void start() throws Exception {
        ExternalTools.requireInstalled("tgtd", "tgtadm");
        dir = Files.createTempDirectory("tgtadm-driver-");
        Path lun = dir.resolve("lun.img");
        try (RandomAccessFile file = new RandomAccessFile(lun.toFile(), "rw")) {
            file.setLength(8L << 20);
        }
        tgtd = TgtDaemon.start(47, 13367, dir);
        tgtd.addTarget(1, IQN, lun);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (tgtd != null) {
                tgtd.close();
            }
        } finally {
            StorageLab.deleteTree(dir);
        }
    }

    @Test
    void listsConnectionsAndDropsOneWhileTheOtherStays() throws Exception {
        assertThat(driver.connections(target)).isEmpty();
        try (IscsiInitiatorConnection keep = IscsiInitiatorConnection.open(target.portal(), "iqn.2024-01.io.example:keep", TIMEOUT);
             IscsiInitiatorConnection drop = IscsiInitiatorConnection.open(target.portal(), "iqn.2024-01.io.example:drop", TIMEOUT)) {
            keep.loginNormal(IQN, TIMEOUT);
            drop.loginNormal(IQN, TIMEOUT);

            List<TargetConnection> connections = driver.connections(target);
            assertThat(connections).extracting(TargetConnection::initiatorName)
                    .containsExactlyInAnyOrder("iqn.2024-01.io.example:keep", "iqn.2024-01.io.example:drop");
            assertThat(connections).allSatisfy(c -> {
                assertThat(c.targetName()).isEqualTo(IQN);
                assertThat(c.initiatorAddress()).isEqualTo("127.0.0.1");
                assertThat(c.targetId()).isEqualTo("1");
                assertThat(c.connectionId()).isEqualTo("0");
            });

            TargetConnection victim = connections.stream()
                    .filter(c -> c.initiatorName().endsWith(":drop")).findFirst().orElseThrow();
            driver.drop(target, victim);

            assertThatThrownBy(() -> drop.ping(TIMEOUT)).isInstanceOf(IOException.class);
            assertThat(keep.ping(TIMEOUT)).isPositive();
            assertThat(driver.connections(target)).extracting(TargetConnection::initiatorName)
                    .containsExactly("iqn.2024-01.io.example:keep");
        }
    }

    @Test
    void reportsAFailingTgtadmAsAnError() {
        TargetSpec nobody = target.withAdmin("48"); // no tgtd on that control port
        assertThatThrownBy(() -> driver.connections(nobody)).isInstanceOf(IOException.class)
                .hasMessageContaining("tgtadm -C 48");
        assertThat(driver.manages(target.withAdmin(null))).isFalse();
    }
}
