package io.fabricipam.controller.storage;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A VM disk to attach, as {@code POST /api/v1/storage/disks/xml} reads it (documentation of the body;
 * {@link JsonBody} reads it strictly: strings are JSON strings, numbers JSON integers). Enumerations are
 * case-insensitive: sourceType file|block|iscsi_network|nfs|fc, format raw|qcow2, allocation
 * preallocated|sparse, bus virtio_scsi|virtio_blk|sata|ide, io native|threads|io_uring, cache none|...
 * Left out, bus, io, cache and queues are the policy's to decide.
 */
record DiskRequest(
        @Schema(example = "file") String sourceType,
        @Schema(description = "absolute path, device, or IQN/LUN for iscsi_network; no control characters",
                example = "/var/lib/vms/vm1.img") String source,
        @Schema(description = "iscsi_network only: host:port, default 127.0.0.1:3261") String portal,
        String format, String allocation, String bus,
        @Schema(description = "1 to " + StorageController.MAX_VCPUS) Integer vcpus,
        Integer unit, String io, String cache, Integer queues) {
}
