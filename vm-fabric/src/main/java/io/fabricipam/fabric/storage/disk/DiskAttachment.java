package io.fabricipam.fabric.storage.disk;

/**
 * What the policy decided for one disk.
 *
 * @param targetDev        guest device name ("sda", "vdb", "hdc")
 * @param io               the AIO mode; null for in-QEMU network disks, which have none
 * @param queues           request queues (on the virtio-scsi controller or the virtio-blk disk); null for single-queue buses
 */
public record DiskAttachment(DiskSourceType sourceType, String source, String portal, DiskFormat format, DiskBus bus,
                             String targetDev, int unit, IoMode io, CacheMode cache, Integer queues) {
}
