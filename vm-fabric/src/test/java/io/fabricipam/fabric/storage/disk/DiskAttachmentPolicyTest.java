package io.fabricipam.fabric.storage.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DiskAttachmentPolicyTest {

    private final DiskAttachmentPolicy policy = new DiskAttachmentPolicy();

    private static DiskDescription file(DiskFormat format, Allocation allocation, int vcpus) {
        return DiskDescription.of(DiskSourceType.FILE, "/var/lib/fabric/images/vm-1.img", format, allocation, vcpus);
    }

    private static List<String> fields(DiskXml xml, DiskFinding.Severity severity) {
        return xml.findings().stream().filter(f -> f.severity() == severity).map(DiskFinding::field).toList();
    }

    @Test
    void aPreallocatedRawImageGetsNativeAioOnVirtioScsiWithAQueuePerVcpu() {
        DiskXml xml = policy.render(file(DiskFormat.RAW, Allocation.PREALLOCATED, 4));
        assertThat(xml.valid()).isTrue();
        assertThat(xml.findings()).isEmpty();
        assertThat(xml.disk()).isEqualTo("""
                <disk device="disk" type="file">
                  <driver cache="none" io="native" name="qemu" type="raw"/>
                  <source file="/var/lib/fabric/images/vm-1.img"/>
                  <target bus="scsi" dev="sda"/>
                  <address bus="0" controller="0" target="0" type="drive" unit="0"/>
                </disk>
                """);
        assertThat(xml.controller()).isEqualTo("""
                <controller index="0" model="virtio-scsi" type="scsi">
                  <driver queues="4"/>
                </controller>
                """);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> io={3}")
    @CsvSource({
            "FILE, RAW, PREALLOCATED, native",
            "FILE, QCOW2, PREALLOCATED, native",
            "FILE, RAW, SPARSE, threads",
            "FILE, QCOW2, SPARSE, threads",
            "BLOCK, RAW, PREALLOCATED, native",
            "FC, RAW, PREALLOCATED, native",
            "NFS, RAW, PREALLOCATED, native",
            "NFS, QCOW2, SPARSE, threads",
    })
    void choosesTheAioModeByWhetherBlocksExist(DiskSourceType type, DiskFormat format, Allocation allocation,
                                               String io) {
        String path = type == DiskSourceType.BLOCK || type == DiskSourceType.FC ? "/dev/mapper/vm-1" : "/srv/vm-1.img";
        DiskAttachment a = policy.render(DiskDescription.of(type, path, format, allocation, 2)).attachment();
        assertThat(a.io().libvirtName()).isEqualTo(io);
        assertThat(a.cache()).isEqualTo(CacheMode.NONE);
    }

    @Test
    void anImageOfUnknownAllocationIsTreatedAsSparseAndSaysSo() {
        DiskXml xml = policy.render(file(DiskFormat.QCOW2, null, 2));
        assertThat(xml.attachment().io()).isEqualTo(IoMode.THREADS);
        assertThat(fields(xml, DiskFinding.Severity.INFO)).containsExactly("allocation");
    }

    @Test
    void volumesAreTakenAsPreallocatedAndBlockDevicesStayNativeEvenIfCalledSparse() {
        assertThat(policy.render(DiskDescription.of(DiskSourceType.NFS, "/mnt/nfs/v.img", DiskFormat.RAW, null, 1))
                .attachment().io()).isEqualTo(IoMode.NATIVE);
        DiskXml thin = policy.render(DiskDescription.of(DiskSourceType.BLOCK, "/dev/vg/thin", DiskFormat.RAW,
                Allocation.SPARSE, 1));
        assertThat(thin.attachment().io()).isEqualTo(IoMode.NATIVE);
        assertThat(thin.disk()).contains("<source dev=\"/dev/vg/thin\"/>").contains("type=\"block\"");
    }

    @Test
    void anInQemuIscsiDiskHasNoAioModeAndPointsAtTheRedirector() {
        DiskXml xml = policy.render(DiskDescription.of(DiskSourceType.ISCSI_NETWORK,
                "iqn.2024-01.io.fabricipam:vm-disk-1/1", DiskFormat.RAW, null, 1));
        assertThat(xml.valid()).isTrue();
        assertThat(xml.attachment().io()).isNull();
        assertThat(xml.disk()).isEqualTo("""
                <disk device="disk" type="network">
                  <driver cache="none" name="qemu" type="raw"/>
                  <source name="iqn.2024-01.io.fabricipam:vm-disk-1/1" protocol="iscsi">
                    <host name="127.0.0.1" port="3261"/>
                  </source>
                  <target bus="scsi" dev="sda"/>
                  <address bus="0" controller="0" target="0" type="drive" unit="0"/>
                </disk>
                """);
        assertThat(xml.controller()).contains("<driver queues=\"1\"/>");
    }

    @ParameterizedTest(name = "{0} vCPUs -> {1} queues")
    @CsvSource({"1, 1", "2, 2", "8, 8", "9, 8", "64, 8"})
    void sizesQueuesByVcpusWithACap(int vcpus, int queues) {
        assertThat(policy.render(file(DiskFormat.RAW, Allocation.PREALLOCATED, vcpus)).attachment().queues())
                .isEqualTo(queues);
    }

    @Test
    void virtioBlkCarriesItsQueuesOnTheDiskAndNeedsNoController() {
        DiskXml xml = policy.render(file(DiskFormat.RAW, Allocation.PREALLOCATED, 4).onBus(DiskBus.VIRTIO_BLK).atUnit(1));
        assertThat(xml.controller()).isNull();
        assertThat(xml.disk()).contains("<driver cache=\"none\" io=\"native\" name=\"qemu\" queues=\"4\" type=\"raw\"/>")
                .contains("<target bus=\"virtio\" dev=\"vdb\"/>").doesNotContain("<address");
    }

    @Test
    void ideIsAcceptedWithAWarningAndNoQueues() {
        DiskXml xml = policy.render(file(DiskFormat.RAW, Allocation.PREALLOCATED, 4).onBus(DiskBus.IDE).atUnit(3));
        assertThat(xml.valid()).isTrue();
        assertThat(fields(xml, DiskFinding.Severity.WARNING)).containsExactly("bus");
        assertThat(xml.attachment().queues()).isNull();
        assertThat(xml.disk()).contains("<target bus=\"ide\" dev=\"hdd\"/>")
                .contains("<address bus=\"1\" controller=\"0\" target=\"0\" type=\"drive\" unit=\"1\"/>");
        assertThat(xml.controller()).isEqualTo("<controller index=\"0\" type=\"ide\"/>\n");
    }

    @Test
    void sataNeedsItsControllerAndHasNoQueues() {
        DiskXml xml = policy.render(file(DiskFormat.RAW, Allocation.PREALLOCATED, 4).onBus(DiskBus.SATA));
        assertThat(xml.controller()).isEqualTo("<controller index=\"0\" type=\"sata\"/>\n");
        assertThat(xml.disk()).contains("bus=\"sata\"");
    }

    @Test
    void warnsAboutNativeAioOnASparseImage() {
        DiskXml xml = policy.render(file(DiskFormat.QCOW2, Allocation.SPARSE, 2).withIo(IoMode.NATIVE));
        assertThat(xml.valid()).isTrue();
        assertThat(xml.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(DiskFinding.Severity.WARNING);
            assertThat(f.field()).isEqualTo("io");
            assertThat(f.message()).startsWith("native AIO on a sparse image");
        });
        assertThat(xml.disk()).contains("io=\"native\"");
    }

    @Test
    void refusesNativeAioWithoutODirect() {
        DiskXml xml = policy.render(file(DiskFormat.RAW, Allocation.PREALLOCATED, 2).withCache(CacheMode.WRITEBACK));
        assertThat(xml.valid()).isFalse();
        assertThat(fields(xml, DiskFinding.Severity.ERROR)).containsExactly("cache");
        assertThat(xml.disk()).isNull();
        assertThat(xml.controller()).isNull();
        // with threads, writeback is allowed
        assertThat(policy.render(file(DiskFormat.RAW, Allocation.SPARSE, 2).withCache(CacheMode.WRITEBACK)).valid()).isTrue();
    }

    @Test
    void refusesQueuesOnABusWithoutThem() {
        DiskXml xml = policy.render(file(DiskFormat.RAW, Allocation.PREALLOCATED, 4).onBus(DiskBus.SATA).withQueues(4));
        assertThat(fields(xml, DiskFinding.Severity.ERROR)).containsExactly("queues");
    }

    @Test
    void warnsAboutMoreQueuesThanVcpus() {
        DiskXml xml = policy.render(file(DiskFormat.RAW, Allocation.PREALLOCATED, 2).withQueues(6));
        assertThat(xml.valid()).isTrue();
        assertThat(fields(xml, DiskFinding.Severity.WARNING)).containsExactly("queues");
        assertThat(xml.controller()).contains("queues=\"6\"");
    }

    @Test
    void refusesVhostUserScsiWithTheWayAround() {
        DiskXml xml = policy.render(file(DiskFormat.RAW, Allocation.PREALLOCATED, 2).onBus(DiskBus.VHOST_USER_SCSI));
        assertThat(xml.findings()).anySatisfy(f -> {
            assertThat(f.severity()).isEqualTo(DiskFinding.Severity.ERROR);
            assertThat(f.field()).isEqualTo("bus");
            assertThat(f.message()).contains("libvirt 9.0 has no vhost-user-scsi").contains("qemu:commandline");
        });
    }

    @Test
    void refusesAnAioModeOnAnInQemuNetworkDisk() {
        DiskXml xml = policy.render(DiskDescription.of(DiskSourceType.ISCSI_NETWORK,
                "iqn.2024-01.io.fabricipam:vm-disk-1/1", DiskFormat.RAW, null, 1).withIo(IoMode.NATIVE));
        assertThat(fields(xml, DiskFinding.Severity.ERROR)).containsExactly("io");
    }

    @Test
    void checksSourcesPortalsUnitsAndVcpus() {
        assertThat(fields(policy.render(DiskDescription.of(DiskSourceType.FILE, "relative.img", DiskFormat.RAW,
                Allocation.SPARSE, 1)), DiskFinding.Severity.ERROR)).containsExactly("source");
        assertThat(fields(policy.render(DiskDescription.of(DiskSourceType.ISCSI_NETWORK, "iqn.2024-01.x:y",
                DiskFormat.RAW, null, 1)), DiskFinding.Severity.ERROR)).containsExactly("source");
        assertThat(fields(policy.render(DiskDescription.of(DiskSourceType.ISCSI_NETWORK, "iqn.2024-01.x:y/0",
                DiskFormat.RAW, null, 1).withPortal("not a portal")), DiskFinding.Severity.ERROR)).containsExactly("portal");
        assertThat(fields(policy.render(file(DiskFormat.RAW, Allocation.SPARSE, 1).onBus(DiskBus.IDE).atUnit(4)),
                DiskFinding.Severity.ERROR)).containsExactly("unit");
        assertThat(fields(policy.render(file(DiskFormat.RAW, Allocation.SPARSE, 0)), DiskFinding.Severity.ERROR))
                .containsExactly("vcpus");
        assertThat(fields(policy.render(new DiskDescription(null, "/x", null, null, null, null, 1, 0, null, null, null)),
                DiskFinding.Severity.ERROR)).containsExactly("sourceType");
    }

    @Test
    void escapesPathsRatherThanWritingMarkup() {
        DiskXml xml = policy.render(DiskDescription.of(DiskSourceType.FILE, "/images/a&b \"<x>\".img", DiskFormat.RAW,
                Allocation.PREALLOCATED, 1));
        assertThat(xml.disk()).contains("file=\"/images/a&amp;b &quot;&lt;x&gt;&quot;.img\"");
    }

    @Test
    void namesDevicesTheWayLibvirtDoes() {
        assertThat(DiskAttachmentPolicy.deviceName(DiskBus.VIRTIO_SCSI, 0)).isEqualTo("sda");
        assertThat(DiskAttachmentPolicy.deviceName(DiskBus.VIRTIO_BLK, 25)).isEqualTo("vdz");
        assertThat(DiskAttachmentPolicy.deviceName(DiskBus.VIRTIO_SCSI, 26)).isEqualTo("sdaa");
        assertThat(DiskAttachmentPolicy.deviceName(DiskBus.VIRTIO_SCSI, 701)).isEqualTo("sdzz");
        assertThat(DiskAttachmentPolicy.deviceName(DiskBus.VIRTIO_SCSI, 702)).isEqualTo("sdaaa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/images/a\u0001.img", "/images/a\u0000.img", "/images/a\n.img", "/images/a\t.img",
            "/images/a\u007f.img", "/images/a\u0085.img", "/images/a\ufffe.img", "/images/a\ud800.img"})
    void refusesPathsThatWellFormedXmlOrAPathCannotCarry(String path) {
        DiskXml xml = policy.render(DiskDescription.of(DiskSourceType.FILE, path, DiskFormat.RAW, Allocation.PREALLOCATED, 1));
        assertThat(fields(xml, DiskFinding.Severity.ERROR)).containsExactly("source");
        assertThat(xml.disk()).isNull();
    }

    @Test
    void refusesIscsiSourcesWithControlCharactersAndDoesNotQuoteHugeValues() {
        assertThat(fields(policy.render(DiskDescription.of(DiskSourceType.ISCSI_NETWORK, "iqn.2024-01.x:y\u0001/0",
                DiskFormat.RAW, null, 1)), DiskFinding.Severity.ERROR)).containsExactly("source");
        DiskXml huge = policy.render(DiskDescription.of(DiskSourceType.FILE, "x".repeat(1 << 20), DiskFormat.RAW,
                Allocation.PREALLOCATED, 1));
        assertThat(huge.findings()).allSatisfy(f -> assertThat(f.message()).hasSizeLessThan(300));
    }
}
