package io.fabricipam.fabric.storage.disk;

/** QEMU's AIO backend ({@code <driver io=...>}). */
public enum IoMode {
    /** Linux native AIO: needs O_DIRECT (cache none/directsync); blocks on sparse-file allocation. */
    NATIVE,
    /** A thread pool: never blocks the vCPU/iothread on allocation; more context switches. */
    THREADS,
    /** io_uring (libvirt 6.3+, QEMU 5.0+). */
    IO_URING;

    public String libvirtName() {
        return name().toLowerCase();
    }
}
