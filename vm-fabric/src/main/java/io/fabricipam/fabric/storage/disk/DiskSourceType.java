package io.fabricipam.fabric.storage.disk;

/** Where a disk's bytes live, as far as the attachment policy cares. */
public enum DiskSourceType {
    /** An image file on a local filesystem ({@code <disk type='file'>}). */
    FILE,
    /** A host block device: an LVM volume, a host-attached iSCSI LUN, a local disk ({@code <disk type='block'>}). */
    BLOCK,
    /** An iSCSI LUN opened by QEMU itself through libiscsi ({@code <disk type='network'><source protocol='iscsi'>}). */
    ISCSI_NETWORK,
    /** A volume file on an NFS mount ({@code <disk type='file'>}), preallocated unless said otherwise. */
    NFS,
    /** A Fibre Channel LUN through the host's multipath device ({@code <disk type='block'>}). */
    FC
}
