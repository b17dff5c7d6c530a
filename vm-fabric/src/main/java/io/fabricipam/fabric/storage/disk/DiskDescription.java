package io.fabricipam.fabric.storage.disk;

/**
 * A VM disk to attach, as {@code POST /api/v1/storage/disks/xml} takes it. Nullable fields
 * mean "let the policy decide".
 *
 * @param sourceType  where the bytes are (required)
 * @param source      the image or device path; for {@link DiskSourceType#ISCSI_NETWORK} "IQN/LUN"
 * @param portal      {@link DiskSourceType#ISCSI_NETWORK} only: "host:port" QEMU logs in to,
 *                    default the local redirector 127.0.0.1:3261
 * @param format      default {@link DiskFormat#RAW}
 * @param allocation  preallocated or sparse; unknown images are treated as sparse
 * @param bus         default {@link DiskBus#VIRTIO_SCSI}
 * @param vcpus       the VM's vCPU count (sizes the queues)
 * @param unit        the disk's number on its bus, from 0 (device name and address)
 * @param io          override of the AIO mode (checked)
 * @param cache       override of the cache mode (checked)
 * @param queues      override of the queue count (checked)
 */
public record DiskDescription(DiskSourceType sourceType, String source, String portal, DiskFormat format,
                              Allocation allocation, DiskBus bus, int vcpus, int unit, IoMode io, CacheMode cache,
                              Integer queues) {

    /** The common case: a disk of this type at unit 0, everything else decided by the policy. */
    public static DiskDescription of(DiskSourceType sourceType, String source, DiskFormat format,
                                     Allocation allocation, int vcpus) {
        return new DiskDescription(sourceType, source, null, format, allocation, null, vcpus, 0, null, null, null);
    }

    public DiskDescription onBus(DiskBus bus) {
        return new DiskDescription(sourceType, source, portal, format, allocation, bus, vcpus, unit, io, cache, queues);
    }

    public DiskDescription atUnit(int unit) {
        return new DiskDescription(sourceType, source, portal, format, allocation, bus, vcpus, unit, io, cache, queues);
    }

    public DiskDescription withIo(IoMode io) {
        return new DiskDescription(sourceType, source, portal, format, allocation, bus, vcpus, unit, io, cache, queues);
    }

    public DiskDescription withCache(CacheMode cache) {
        return new DiskDescription(sourceType, source, portal, format, allocation, bus, vcpus, unit, io, cache, queues);
    }

    public DiskDescription withQueues(Integer queues) {
        return new DiskDescription(sourceType, source, portal, format, allocation, bus, vcpus, unit, io, cache, queues);
    }

    public DiskDescription withPortal(String portal) {
        return new DiskDescription(sourceType, source, portal, format, allocation, bus, vcpus, unit, io, cache, queues);
    }
}
