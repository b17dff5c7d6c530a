package io.fabricipam.fabric.storage;

import io.fabricipam.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the Debian tools the storage ITs drive (tgtd, tgtadm, libiscsi-bin, qemu-utils), with timeouts. */
public final class ExternalTools {

    public record Result(int exitCode, String stdout, String stderr, Duration took) {
        public String all() {
            return stdout + stderr;
        }
    }

    private ExternalTools() {
    }

    /**
     * Skips the calling test, with the reason, when a tool is missing (e.g. a machine without tgt); fails it
     * instead where tools are required (CI, scripts/test): see {@link Tools}.
     */
    public static void requireInstalled(String... tools) {
        Tools.require(tools);
    }

    /** @deprecated the name hides that CI fails rather than skips: use {@link #requireInstalled(String...)}. */
    @Deprecated
    public static void assumeInstalled(String... tools) {
        requireInstalled(tools);
    }

    /**
     * Skips the calling test (fails it where tools are required) unless {@code ss -K} really aborts a socket
     * here (root and a kernel with CONFIG_INET_DIAG_DESTROY): tried on a loopback connection of our own.
     */
    public static void requireSocketDestroy() {
        requireInstalled("ss");
        boolean aborted;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            run(Duration.ofSeconds(5), "ss", "-K", "-t", "dst", "127.0.0.1", "dport", "=", ":" + server.getLocalPort());
            client.setSoTimeout(2000);
            try {
                aborted = client.getInputStream().read() < 0;
            } catch (IOException e) {
                aborted = true;
            }
        } catch (IOException e) {
            aborted = false;
        }
        Tools.requireThat(aborted, "ss -K cannot destroy sockets here (needs root and CONFIG_INET_DIAG_DESTROY)");
    }

    public static Path find(String tool) {
        return Tools.find(tool);
    }

    public static Result run(Duration timeout, String... command) {
        long start = System.nanoTime();
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + ": "
                        + out.getNow("") + err.getNow(""));
            }
            return new Result(process.exitValue(), out.join(), err.join(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
