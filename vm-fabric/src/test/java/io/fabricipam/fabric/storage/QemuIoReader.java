package io.fabricipam.fabric.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A long-running initiator: one {@code qemu-io} process (QEMU's block layer on libiscsi, as a
 * VM would use it) reading 4 KiB, pausing, reading again, through the redirector. libiscsi
 * reconnects on its own when its connection drops, back to the original portal (the
 * redirector). Every completed read is time-stamped as its line arrives (stdout line-buffered
 * with stdbuf), which is what failover and failback are measured against.
 */
public final class QemuIoReader implements AutoCloseable {

    private final Process process;
    private final List<Long> readTimes = new CopyOnWriteArrayList<>();
    private final List<String> otherLines = new CopyOnWriteArrayList<>();
    private final Thread pump;

    private QemuIoReader(Process process) {
        this.process = process;
        this.pump = new Thread(this::pump, "qemu-io-reader");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /** {@code reads} reads of 4 KiB, {@code pauseMillis} apart. */
    public static QemuIoReader start(String url, int reads, int pauseMillis) throws IOException {
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", "-eL", "qemu-io", "-f", "raw"));
        for (int i = 0; i < reads; i++) {
            command.addAll(List.of("-c", "read 0 4k", "-c", "sleep " + pauseMillis));
        }
        command.add(url);
        return new QemuIoReader(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void pump() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("read 4096/4096 bytes")) {
                    readTimes.add(System.nanoTime());
                } else if (!line.startsWith("4 KiB, 1 ops")) {
                    otherLines.add(line);
                }
            }
        } catch (IOException e) {
            otherLines.add("reader stopped: " + e);
        }
    }

    public int reads() {
        return readTimes.size();
    }

    /** The time (System.nanoTime) of the first read completed after {@code nanos}, waiting up to {@code maxMillis}. */
    public long firstReadAfter(long nanos, long maxMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (System.nanoTime() < end) {
            for (long t : readTimes) {
                if (t > nanos) {
                    return t;
                }
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        throw new AssertionError("no read completed within " + maxMillis + " ms; qemu-io said: " + otherLines
                + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")"));
    }

    public List<String> messages() {
        return List.copyOf(otherLines);
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // our own child
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        pump.join(2000);
    }
}
