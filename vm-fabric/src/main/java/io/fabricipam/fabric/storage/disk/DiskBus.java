package io.fabricipam.fabric.storage.disk;

/** How the guest sees the disk. */
public enum DiskBus {
    /** SCSI disk on a virtio-scsi controller: the default (multi-queue, UNMAP, hot-plug, many disks). */
    VIRTIO_SCSI("scsi", "sd", 16384),
    /** virtio-blk: one PCI device per disk, multi-queue on the disk itself. */
    VIRTIO_BLK("virtio", "vd", 1 << 16),
    /** SATA (AHCI): for guests without virtio drivers; 6 ports per controller, one queue. */
    SATA("sata", "sd", 6),
    /** IDE: accepted with a warning; emulated, slow, 4 disks at most. */
    IDE("ide", "hd", 4),
    /** vhost-user-scsi: not expressible in libvirt 9.0 (no controller model); always refused with advice. */
    VHOST_USER_SCSI("scsi", "sd", 0);

    private final String libvirtBus;
    private final String devicePrefix;
    private final int maxUnits;

    DiskBus(String libvirtBus, String devicePrefix, int maxUnits) {
        this.libvirtBus = libvirtBus;
        this.devicePrefix = devicePrefix;
        this.maxUnits = maxUnits;
    }

    public String libvirtBus() {
        return libvirtBus;
    }

    public String devicePrefix() {
        return devicePrefix;
    }

    public int maxUnits() {
        return maxUnits;
    }

    /** Whether the bus has request queues to spread over vCPUs. */
    public boolean multiQueue() {
        return this == VIRTIO_SCSI || this == VIRTIO_BLK;
    }
}
