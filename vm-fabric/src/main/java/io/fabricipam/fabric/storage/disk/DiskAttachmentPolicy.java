package io.fabricipam.fabric.storage.disk;

import io.fabricipam.fabric.storage.iscsi.IscsiName;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.text.SafeText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides how a VM disk is attached and checks the description for what libvirt's schema lets
 * through but QEMU or the guest would suffer from. Pure.
 *
 * <p>The AIO rule follows the nova libvirt AIO-mode spec and AHV: {@code io='native'} with
 * {@code cache='none'} when every block already exists (preallocated images, block devices,
 * FC and NFS volumes), because native AIO submits without a thread hop; {@code io='threads'}
 * for sparse images, because a native AIO write that makes the filesystem allocate blocks
 * waits inside io_submit and stalls the vCPU or iothread that issued it; nothing for in-QEMU
 * network disks (libiscsi does its own I/O).
 *
 * <p>Queues: one per vCPU up to {@value #MAX_QUEUES}, so each vCPU submits and completes on its
 * own queue without cross-CPU interrupts; more queues than that buy little for one disk and
 * each costs an MSI-X vector and ring memory.
 */
public final class DiskAttachmentPolicy {

    public static final int MAX_QUEUES = 8;
    public static final String DEFAULT_ISCSI_PORTAL = "127.0.0.1:3261";
    /** Longest source path (Linux PATH_MAX, in characters). */
    public static final int MAX_SOURCE_LENGTH = 4096;

    private static final Pattern LUN = Pattern.compile("[0-9]{1,5}");

    private final LibvirtDiskXml xml = new LibvirtDiskXml();

    public DiskXml render(DiskDescription disk) {
        List<DiskFinding> findings = new ArrayList<>();
        DiskAttachment attachment = decide(disk, findings);
        findings.sort(Comparator.comparing(DiskFinding::severity));
        if (attachment == null || findings.stream().anyMatch(f -> f.severity() == DiskFinding.Severity.ERROR)) {
            return new DiskXml(null, null, null, findings);
        }
        return new DiskXml(xml.disk(attachment), xml.controller(attachment), attachment, findings);
    }

    DiskAttachment decide(DiskDescription disk, List<DiskFinding> findings) {
        if (disk.sourceType() == null) {
            findings.add(DiskFinding.error("sourceType", "required: FILE, BLOCK, ISCSI_NETWORK, NFS or FC"));
            return null;
        }
        if (disk.vcpus() < 1) {
            findings.add(DiskFinding.error("vcpus", "a VM has at least one vCPU, got " + disk.vcpus()));
        }
        checkSource(disk, findings);
        DiskBus bus = disk.bus() == null ? DiskBus.VIRTIO_SCSI : disk.bus();
        checkBus(bus, disk, findings);
        DiskFormat format = disk.format() == null ? DiskFormat.RAW : disk.format();
        if (disk.sourceType() == DiskSourceType.ISCSI_NETWORK && format == DiskFormat.QCOW2) {
            findings.add(DiskFinding.warning("format", "qcow2 inside a LUN: the storage already thin-provisions and "
                    + "snapshots; raw avoids a second mapping layer"));
        }
        Allocation allocation = allocation(disk, findings);
        CacheMode cache = disk.cache() == null ? CacheMode.NONE : disk.cache();
        IoMode io = io(disk, allocation, cache, findings);
        Integer queues = queues(disk, bus, findings);
        String portal = disk.sourceType() != DiskSourceType.ISCSI_NETWORK ? null
                : disk.portal() == null ? DEFAULT_ISCSI_PORTAL : disk.portal();
        return new DiskAttachment(disk.sourceType(), disk.source(), portal, format, bus,
                deviceName(bus, disk.unit()), disk.unit(), io, cache, queues);
    }

    private static void checkSource(DiskDescription disk, List<DiskFinding> findings) {
        String source = disk.source();
        if (source == null || source.isBlank()) {
            findings.add(DiskFinding.error("source", "required: the image or device path, or IQN/LUN for iSCSI"));
            return;
        }
        if (source.length() > MAX_SOURCE_LENGTH) {
            findings.add(DiskFinding.error("source", "at most " + MAX_SOURCE_LENGTH + " characters, not "
                    + source.length()));
            return;
        }
        String unfit = unfitCharacter(source);
        if (unfit != null) {
            findings.add(DiskFinding.error("source", unfit));
            return;
        }
        if (disk.sourceType() == DiskSourceType.ISCSI_NETWORK) {
            checkIscsiSource(source, findings);
            if (disk.portal() != null) {
                try {
                    Portal.parseHostPort(disk.portal());
                } catch (IllegalArgumentException e) {
                    findings.add(DiskFinding.error("portal", "expected host:port: " + e.getMessage()));
                }
            }
        } else {
            if (!source.startsWith("/")) {
                findings.add(DiskFinding.error("source", "an absolute path, got " + SafeText.quote(source)));
            }
            if (disk.portal() != null) {
                findings.add(DiskFinding.error("portal", "only in-QEMU iSCSI disks have a portal"));
            }
            if ((disk.sourceType() == DiskSourceType.BLOCK || disk.sourceType() == DiskSourceType.FC)
                    && !source.startsWith("/dev/")) {
                findings.add(DiskFinding.warning("source", "a block device is normally under /dev: "
                        + SafeText.quote(source)));
            }
        }
    }

    private static void checkIscsiSource(String source, List<DiskFinding> findings) {
        int slash = source.lastIndexOf('/');
        String example = "an in-QEMU iSCSI disk names 'IQN/LUN', e.g. 'iqn.2024-01.io.fabricipam:disk1/1'";
        if (slash < 0 || !LUN.matcher(source.substring(slash + 1)).matches()) {
            findings.add(DiskFinding.error("source", example + "; got " + SafeText.quote(source)));
            return;
        }
        IscsiName.problem(source.substring(0, slash)).ifPresent(
                problem -> findings.add(DiskFinding.error("source", example + "; the IQN " + problem)));
    }

    /**
     * Why {@code text} cannot go into a path or an XML 1.0 attribute, or null when it can: control
     * characters (C0, DEL, C1: no sane path has them, and XML 1.0 cannot carry most of them, not even
     * as {@code &#1;}), U+FFFE and U+FFFF, and UTF-16 surrogates that do not make a pair.
     */
    static String unfitCharacter(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (Character.isISOControl(c) || c == 0xFFFE || c == 0xFFFF || Character.getType(c) == Character.SURROGATE) {
                return String.format("contains U+%04X at position %d: control characters, U+FFFE/U+FFFF and unpaired"
                        + " surrogates are refused (XML 1.0 cannot carry them)", c, i);
            }
            i += Character.charCount(c);
        }
        return null;
    }

    private static void checkBus(DiskBus bus, DiskDescription disk, List<DiskFinding> findings) {
        switch (bus) {
            case IDE -> findings.add(DiskFinding.warning("bus", "IDE is fully emulated: one request in flight per "
                    + "channel, no multi-queue, at most 4 disks; accepted for old guests, use virtio-scsi otherwise"));
            case SATA -> findings.add(DiskFinding.info("bus", "SATA (AHCI) has a single queue; virtio-scsi scales better "
                    + "once the guest has virtio drivers"));
            case VHOST_USER_SCSI -> findings.add(DiskFinding.error("bus", "libvirt 9.0 has no vhost-user-scsi "
                    + "controller model: pass '-device vhost-user-scsi-pci' through <qemu:commandline>, or use a "
                    + "vhost-user-blk disk (<disk type='vhostuser'>)"));
            default -> { }
        }
        if (disk.unit() < 0 || (bus.maxUnits() > 0 && disk.unit() >= bus.maxUnits())) {
            findings.add(DiskFinding.error("unit", "the " + bus + " bus takes units 0.." + (bus.maxUnits() - 1)
                    + ", got " + disk.unit()));
        }
    }

    private static Allocation allocation(DiskDescription disk, List<DiskFinding> findings) {
        boolean volume = disk.sourceType() != DiskSourceType.FILE;
        if (disk.allocation() != null) {
            if (disk.allocation() == Allocation.SPARSE && (disk.sourceType() == DiskSourceType.BLOCK
                    || disk.sourceType() == DiskSourceType.FC)) {
                findings.add(DiskFinding.info("allocation", "a block device has no file-system allocation to wait "
                        + "for; thin provisioning below it is the array's business: io='native' stays"));
                return Allocation.PREALLOCATED;
            }
            return disk.allocation();
        }
        if (volume) {
            return Allocation.PREALLOCATED;
        }
        findings.add(DiskFinding.info("allocation", "not given: the image is treated as sparse (io='threads', "
                + "which is safe either way)"));
        return Allocation.SPARSE;
    }

    private static IoMode io(DiskDescription disk, Allocation allocation, CacheMode cache, List<DiskFinding> findings) {
        boolean networkDisk = disk.sourceType() == DiskSourceType.ISCSI_NETWORK;
        if (networkDisk) {
            if (disk.io() != null) {
                findings.add(DiskFinding.error("io", "an in-QEMU network disk (libiscsi) has no AIO mode: leave io out"));
            }
            return null;
        }
        IoMode chosen = allocation == Allocation.SPARSE ? IoMode.THREADS : IoMode.NATIVE;
        IoMode io = disk.io() == null ? chosen : disk.io();
        if (io == IoMode.NATIVE && allocation == Allocation.SPARSE) {
            findings.add(DiskFinding.warning("io", "native AIO on a sparse image: a write that allocates blocks "
                    + "waits inside io_submit and stalls the vCPU or iothread; use io='threads' or preallocate"));
        }
        if (io == IoMode.NATIVE && !cache.direct()) {
            findings.add(DiskFinding.error("cache", "io='native' needs O_DIRECT: cache='none' or 'directsync', not '"
                    + cache.libvirtName() + "' (QEMU refuses to start otherwise)"));
        }
        if (io == IoMode.THREADS && allocation == Allocation.PREALLOCATED && disk.io() != null) {
            findings.add(DiskFinding.info("io", "threads on a preallocated source works but costs a thread hop "
                    + "per request; native would do"));
        }
        return io;
    }

    private static Integer queues(DiskDescription disk, DiskBus bus, List<DiskFinding> findings) {
        if (!bus.multiQueue()) {
            if (disk.queues() != null) {
                findings.add(DiskFinding.error("queues", "the " + bus.name().toLowerCase()
                        + " bus has a single queue; queues apply to virtio-scsi and virtio-blk only"));
            }
            return null;
        }
        int vcpus = Math.max(1, disk.vcpus());
        if (disk.queues() == null) {
            return Math.min(vcpus, MAX_QUEUES);
        }
        if (disk.queues() < 1) {
            findings.add(DiskFinding.error("queues", "at least 1, got " + disk.queues()));
        } else if (disk.queues() > vcpus) {
            findings.add(DiskFinding.warning("queues", disk.queues() + " queues for " + vcpus + " vCPUs: queues "
                    + "beyond one per vCPU only cost interrupt vectors and memory"));
        }
        return disk.queues();
    }

    /** libvirt's naming: unit 0 -&gt; "a", 25 -&gt; "z", 26 -&gt; "aa". */
    static String deviceName(DiskBus bus, int unit) {
        StringBuilder suffix = new StringBuilder();
        for (int n = Math.max(0, unit); ; n = n / 26 - 1) {
            suffix.insert(0, (char) ('a' + n % 26));
            if (n < 26) {
                break;
            }
        }
        return bus.devicePrefix() + suffix;
    }
}
