package io.fabricipam.controller.linux;

import com.sun.jna.LastErrorException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A thread that lives in a named network namespace ({@code /run/netns/NAME}, as made by {@code ip netns add}).
 * Sockets created by code run here belong to that namespace for good, whichever thread uses them later;
 * interface lookups run here see that namespace's interfaces. With no name, code runs in the process's own
 * namespace. Lifecycle: open on construction, {@link #close()} ends the thread.
 */
public final class NetworkNamespace implements AutoCloseable {

    private final String name;
    private final ExecutorService thread;

    public NetworkNamespace(String name) {
        this.name = name == null || name.isBlank() ? null : name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, this.name == null ? "netns-host" : "netns-" + this.name);
            t.setDaemon(true);
            return t;
        });
        if (this.name != null) {
            call(() -> {
                enter(this.name);
                return null;
            });
        }
    }

    private static void enter(String name) {
        String path = "/run/netns/" + name;
        int fd;
        try {
            fd = LinuxNative.open(path, LinuxNative.O_RDONLY);
        } catch (LastErrorException e) {
            throw new IllegalStateException("no network namespace '" + name + "' (" + path + ", errno " + e.getErrorCode() + ")", e);
        }
        try {
            LinuxNative.setns(fd, LinuxNative.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot enter network namespace '" + name + "': errno " + e.getErrorCode(), e);
        } finally {
            LinuxNative.close(fd);
        }
    }

    public String name() {
        return name;
    }

    /** Runs {@code task} inside the namespace and waits for it. */
    public <T> T call(Callable<T> task) {
        Future<T> f = thread.submit(task);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
