package io.fabricipam.controller.storage;

/**
 * A VM disk to attach, as {@code POST /api/v1/storage/disks/xml} reads it. Enumerations are
 * case-insensitive: sourceType file|block|iscsi_network|nfs|fc, format raw|qcow2, allocation
 * preallocated|sparse, bus virtio_scsi|virtio_blk|sata|ide, io native|threads|io_uring, cache none|...
 * Left out, bus, io, cache and queues are the policy's to decide.
 */
public record DiskRequest(String sourceType, String source, String portal, String format, String allocation,
        String bus, Integer vcpus, Integer unit, String io, String cache, Integer queues) {
}
