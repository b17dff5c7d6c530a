package io.fabricipam.controller.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * The few libc calls Java does not offer: binding a socket to a device (SO_BINDTODEVICE), which is how a
 * DHCP server tells which link a broadcast came in on, and entering a network namespace (setns).
 */
public final class LinuxNative {

    static final int SOL_SOCKET = 1;
    static final int SO_BINDTODEVICE = 25;
    static final int CLONE_NEWNET = 0x40000000;
    static final int O_RDONLY = 0;

    static {
        Native.register("c");
    }

    private LinuxNative() {
    }

    static native int setsockopt(int fd, int level, int option, byte[] value, int length) throws LastErrorException;

    static native int setns(int fd, int type) throws LastErrorException;

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native long syscall(long number) throws LastErrorException;

    static native int setpriority(int which, int who, int priority) throws LastErrorException;

    private static final long SYS_GETTID = 186; // x86_64
    private static final int PRIO_PROCESS = 0;

    /**
     * Lowers the calling thread's scheduling priority to {@code nice} (Linux schedules threads alone, so this
     * touches no other thread). Under contention the kernel then gives it a fraction of a normal thread's CPU.
     */
    public static void niceCurrentThread(int nice) {
        try {
            int tid = (int) syscall(SYS_GETTID);
            setpriority(PRIO_PROCESS, tid, nice);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot renice this thread: " + e.getMessage(), e);
        }
    }

    /** Restricts the socket {@code fd} to packets of {@code device}, and its sends to that device. */
    public static void bindToDevice(int fd, String device) {
        byte[] name = (device + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, name.length);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot bind socket to device " + device + ": errno " + e.getErrorCode()
                    + (e.getErrorCode() == 19 ? " (no such device)" : e.getErrorCode() == 1 ? " (needs root or CAP_NET_RAW)" : ""), e);
        }
    }
}
