package io.fabricipam.fabric.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.redirect.SessionOutcome;
import io.fabricipam.fabric.storage.redirect.SessionRecord;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.PathState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** libiscsi and QEMU clients log in through the redirector to two real tgtd targets. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageRedirectorIT {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private StorageLab lab;

    @BeforeAll
    void startLab() throws Exception {
        ExternalTools.requireInstalled("iscsi-inq", "iscsi-readcapacity16", "iscsi-ls", "qemu-img");
        lab = StorageLab.start(new StorageLab.Ports(41, 13361, 42, 13362, 13371), Duration.ofSeconds(1));
    }

    @AfterAll
    void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private SessionRecord lastSessionOf(String initiatorSuffix) {
        List<SessionRecord> mine = lab.fabric.sessions().stream()
                .filter(r -> r.initiatorName() != null && r.initiatorName().endsWith(initiatorSuffix)).toList();
        assertThat(mine).as("sessions of " + initiatorSuffix).isNotEmpty();
        return mine.get(mine.size() - 1);
    }

    @Test
    void showsBothTargetsHealthyWithTheirPathStates() {
        TargetView local = lab.target("local");
        TargetView remote = lab.target("remote");
        assertThat(local.health()).isEqualTo(HealthState.HEALTHY);
        assertThat(local.pathState()).isEqualTo(PathState.ACTIVE_OPTIMIZED);
        assertThat(local.iqns()).containsExactly(StorageLab.IQN);
        assertThat(local.nopLastMillis()).isNotNull().isPositive();
        assertThat(local.explanation()).contains("local target 'local'").contains("active/optimized");
        assertThat(remote.pathState()).isEqualTo(PathState.ACTIVE_NON_OPTIMIZED);
    }

    @Test
    void iscsiInqReadsTheLunThroughTheRedirectorFromTheLocalTarget() {
        ExternalTools.Result inq = ExternalTools.run(CLIENT_TIMEOUT, "iscsi-inq", lab.url());
        assertThat(inq.exitCode()).as(inq.all()).isZero();
        assertThat(inq.stdout()).contains("Product:VIRTUAL-DISK").contains("Peripheral Device Type:DIRECT_ACCESS");
        SessionRecord record = lastSessionOf(":iscsi-inq");
        assertThat(record.outcome()).isEqualTo(SessionOutcome.REDIRECTED);
        assertThat(record.chosenTarget()).isEqualTo("local");
        assertThat(record.targetAddress()).isEqualTo("127.0.0.1:13361");
        assertThat(record.targetName()).isEqualTo(StorageLab.IQN);
        assertThat(record.isid()).hasSize(12);
        assertThat(record.reason()).contains("active/optimized");
    }

    @Test
    void iscsiReadcapacity16SeesTheWholeLun() {
        ExternalTools.Result capacity = ExternalTools.run(CLIENT_TIMEOUT, "iscsi-readcapacity16", lab.url());
        assertThat(capacity.exitCode()).as(capacity.all()).isZero();
        assertThat(capacity.stdout()).contains("Total size:" + StorageLab.LUN_BYTES);
    }

    @Test
    void qemuImgOpensTheLunThroughTheRedirector() {
        ExternalTools.Result info = ExternalTools.run(CLIENT_TIMEOUT, "qemu-img", "info", lab.url());
        assertThat(info.exitCode()).as(info.all()).isZero();
        assertThat(info.stdout()).contains("virtual size: 64 MiB");
        assertThat(lastSessionOf("linux-kvm").chosenTarget()).isEqualTo("local");
    }

    @Test
    void iscsiLsDiscoversThroughTheRedirectorAndListsTheLuns() {
        ExternalTools.Result ls = ExternalTools.run(CLIENT_TIMEOUT, "iscsi-ls", "-s", "iscsi://127.0.0.1:13371");
        assertThat(ls.exitCode()).as(ls.all()).isZero();
        assertThat(ls.stdout()).contains("Target:" + StorageLab.IQN + " Portal:127.0.0.1:13371,1");
        // -s logs in to each target it found (at the redirector, which redirects) and lists its LUNs
        assertThat(ls.stdout()).contains("Lun:1").contains("DIRECT_ACCESS");
        assertThat(lab.fabric.sessions()).anySatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(SessionOutcome.DISCOVERY_ANSWERED);
            assertThat(r.initiatorName()).endsWith(":iscsi-ls");
        });
        assertThat(lastSessionOf(":iscsi-ls").outcome()).isEqualTo(SessionOutcome.REDIRECTED);
    }

    @Test
    void anUnknownTargetNameIsRefusedAsNotFound() {
        ExternalTools.Result inq = ExternalTools.run(CLIENT_TIMEOUT, "iscsi-inq",
                lab.url("iqn.2024-01.io.fabricipam:no-such-disk"));
        assertThat(inq.exitCode()).isNotZero();
        assertThat(inq.all()).contains("Target not found");
        assertThat(lastSessionOf(":iscsi-inq").outcome()).isEqualTo(SessionOutcome.REFUSED_NOT_FOUND);
    }

    @Test
    void writesThroughOneTargetAreReadThroughTheOther() {
        // the shared file stands in for distributed storage: what the guest wrote survives a failover
        ExternalTools.Result write = ExternalTools.run(CLIENT_TIMEOUT, "qemu-io", "-f", "raw", "-c",
                "write -P 0x5a 1M 64k", lab.url());
        assertThat(write.exitCode()).as(write.all()).isZero();
        ExternalTools.Result read = ExternalTools.run(CLIENT_TIMEOUT, "qemu-io", "-f", "raw", "-c",
                "read -P 0x5a 1M 64k", "iscsi://127.0.0.1:13362/" + StorageLab.IQN + "/1");
        assertThat(read.exitCode()).as(read.all()).isZero();
        assertThat(read.all()).doesNotContain("Pattern verification failed").contains("read 65536/65536 bytes");
    }
}
