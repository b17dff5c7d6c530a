package io.fabricipam.fabric.storage.disk;

/** QEMU's host cache mode ({@code <driver cache=...>}). */
public enum CacheMode {
    NONE, WRITEBACK, WRITETHROUGH, DIRECTSYNC, UNSAFE;

    public String libvirtName() {
        return name().toLowerCase();
    }

    /** Whether QEMU opens the image with O_DIRECT, which native AIO needs. */
    public boolean direct() {
        return this == NONE || this == DIRECTSYNC;
    }
}
