package io.fabricipam.fabric.storage.disk;

/** Whether an image's blocks are allocated up front; decides between native and threaded AIO. */
public enum Allocation {
    /** Every block allocated (fallocate, {@code preallocation=full|falloc}, or a volume). */
    PREALLOCATED,
    /** Blocks allocated on first write: a write can wait for the filesystem. */
    SPARSE
}
