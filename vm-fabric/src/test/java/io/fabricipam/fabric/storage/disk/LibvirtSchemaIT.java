package io.fabricipam.fabric.storage.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.ExternalTools;
import io.fabricipam.fabric.storage.StorageLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every combination the policy produces validates against libvirt 9.0's schema (virt-xml-validate). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibvirtSchemaIT {

    private final DiskAttachmentPolicy policy = new DiskAttachmentPolicy();
    private Path dir;

    @BeforeAll
    void tools() throws Exception {
        ExternalTools.requireInstalled("virt-xml-validate", "xmllint");
        dir = Files.createTempDirectory("libvirt-schema-");
    }

    @AfterAll
    void clean() throws Exception {
        if (dir != null) {
            StorageLab.deleteTree(dir);
        }
    }

    Stream<DiskDescription> disks() {
        List<DiskDescription> all = new ArrayList<>();
        for (DiskBus bus : List.of(DiskBus.VIRTIO_SCSI, DiskBus.VIRTIO_BLK, DiskBus.SATA, DiskBus.IDE)) {
            for (DiskSourceType type : DiskSourceType.values()) {
                for (DiskFormat format : DiskFormat.values()) {
                    for (Allocation allocation : Allocation.values()) {
                        String source = switch (type) {
                            case FILE, NFS -> "/var/lib/fabric/images/vm & co.img";
                            case BLOCK, FC -> "/dev/mapper/vm-1";
                            case ISCSI_NETWORK -> "iqn.2024-01.io.fabricipam:vm-disk-1/1";
                        };
                        all.add(DiskDescription.of(type, source, format, allocation, 6).onBus(bus).atUnit(1));
                    }
                }
            }
        }
        all.add(DiskDescription.of(DiskSourceType.FILE, "/i.img", DiskFormat.RAW, Allocation.SPARSE, 1)
                .withIo(IoMode.IO_URING));
        all.add(DiskDescription.of(DiskSourceType.ISCSI_NETWORK, "iqn.2024-01.io.fabricipam:vm-disk-1/0", DiskFormat.RAW,
                null, 2).withPortal("[::1]:3261"));
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("disks")
    void validates(DiskDescription disk) throws Exception {
        DiskXml xml = policy.render(disk);
        assertThat(xml.valid()).as(xml.findings().toString()).isTrue();
        Path file = Files.createTempFile(dir, "domain-", ".xml");
        Files.writeString(file, LibvirtDiskXml.domain(xml, disk.vcpus()));
        ExternalTools.Result result = ExternalTools.run(Duration.ofSeconds(30), "virt-xml-validate", file.toString(), "domain");
        assertThat(result.exitCode()).as(result.all() + "\n" + Files.readString(file)).isZero();
    }

    @Test
    void theValidatorDoesRejectABrokenDomain() throws Exception {
        // so that a pass above means something
        DiskXml xml = policy.render(DiskDescription.of(DiskSourceType.FILE, "/i.img", DiskFormat.RAW, Allocation.SPARSE, 1));
        Path file = Files.createTempFile(dir, "broken-", ".xml");
        Files.writeString(file, LibvirtDiskXml.domain(xml, 1).replace("io=\"threads\"", "io=\"sometimes\""));
        ExternalTools.Result result = ExternalTools.run(Duration.ofSeconds(30), "virt-xml-validate", file.toString(), "domain");
        assertThat(result.exitCode()).isNotZero();
    }

    @Test
    void theSchemaAcceptsWhatOnlyOurChecksCatch() throws Exception {
        // libvirt's schema takes native AIO with writeback cache; QEMU would refuse to start. We refuse first.
        DiskXml ok = policy.render(DiskDescription.of(DiskSourceType.FILE, "/i.img", DiskFormat.RAW,
                Allocation.PREALLOCATED, 1));
        Path file = Files.createTempFile(dir, "semantic-", ".xml");
        Files.writeString(file, LibvirtDiskXml.domain(ok, 1).replace("cache=\"none\"", "cache=\"writeback\""));
        assertThat(ExternalTools.run(Duration.ofSeconds(30), "virt-xml-validate", file.toString(), "domain").exitCode())
                .isZero();
        assertThat(policy.render(DiskDescription.of(DiskSourceType.FILE, "/i.img", DiskFormat.RAW,
                Allocation.PREALLOCATED, 1).withCache(CacheMode.WRITEBACK)).valid()).isFalse();
    }
}
