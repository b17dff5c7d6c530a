package io.fabricipam.fabric.storage.disk;

/** The image format QEMU reads ({@code <driver type=...>}). */
public enum DiskFormat {
    RAW, QCOW2;

    public String libvirtName() {
        return name().toLowerCase();
    }
}
