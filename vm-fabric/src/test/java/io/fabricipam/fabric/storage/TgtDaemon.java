package io.fabricipam.fabric.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One real tgtd for a test: {@code tgtd -f -C N --iscsi portal=127.0.0.1:P}, with file-backed
 * LUNs. Stopped the only way tgtd listens to while targets exist: delete the targets with
 * --force, then the system, through its own control port; only our own PID is ever signalled.
 */
public final class TgtDaemon implements AutoCloseable {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);

    private final int controlPort;
    private final int port;
    private final Path log;
    private final List<Integer> tids = new ArrayList<>();
    private Process process;

    private TgtDaemon(int controlPort, int port, Path log) {
        this.controlPort = controlPort;
        this.port = port;
        this.log = log;
    }

    /** Starts tgtd and waits until its control port answers. Refuses to share a control port with a running tgtd. */
    public static TgtDaemon start(int controlPort, int port, Path workDir) throws IOException, InterruptedException {
        ExternalTools.Result probe = ExternalTools.run(TOOL_TIMEOUT, "tgtadm", "-C", Integer.toString(controlPort),
                "--op", "show", "--mode", "system");
        if (probe.exitCode() == 0) {
            throw new IllegalStateException("a tgtd already answers on control port " + controlPort
                    + "; pick another port for this test");
        }
        removeSocketFiles(controlPort);
        TgtDaemon daemon = new TgtDaemon(controlPort, port, workDir.resolve("tgtd-" + controlPort + ".log"));
        daemon.launch();
        return daemon;
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder("tgtd", "-f", "-C", Integer.toString(controlPort), "--iscsi",
                "portal=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("tgtd -C " + controlPort + " exited: " + Files.readString(log));
            }
            if (tgtadm("--op", "show", "--mode", "system").exitCode() == 0) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("tgtd -C " + controlPort + " did not come up: " + Files.readString(log));
    }

    /** A target with LUN 1 on {@code backingFile}, open to every initiator. */
    public void addTarget(int tid, String iqn, Path backingFile) {
        String t = Integer.toString(tid);
        ok(tgtadm("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", t, "-T", iqn));
        ok(tgtadm("--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", t, "--lun", "1", "-b",
                backingFile.toString()));
        ok(tgtadm("--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", t, "-I", "ALL"));
        tids.add(tid);
    }

    /** {@code tgtadm --op show --mode target}: targets, sessions (I_T nexus) and their initiators. */
    public String show() {
        return tgtadm("--lld", "iscsi", "--op", "show", "--mode", "target").stdout();
    }

    public ExternalTools.Result tgtadm(String... args) {
        List<String> command = new ArrayList<>(List.of("tgtadm", "-C", Integer.toString(controlPort)));
        command.addAll(List.of(args));
        return ExternalTools.run(TOOL_TIMEOUT, command.toArray(String[]::new));
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    public int controlPort() {
        return controlPort;
    }

    public long pid() {
        return process.pid();
    }

    /** Freezes the daemon (SIGSTOP to our own tgtd): it stops answering but keeps its sockets, like a hung target. */
    public void freeze() {
        ok(ExternalTools.run(TOOL_TIMEOUT, "kill", "-STOP", Long.toString(pid())));
    }

    public void thaw() {
        ok(ExternalTools.run(TOOL_TIMEOUT, "kill", "-CONT", Long.toString(pid())));
    }

    /** Deletes the targets (closing their sessions) and the system, waits for the process to exit, cleans its sockets. */
    public void stop() throws InterruptedException, IOException {
        if (process == null) {
            return;
        }
        for (int tid : tids) {
            // --force still fails with "this logical unit is still active" while a command is in
            // flight (a reading initiator): try again until the target is gone, a bounded number of times.
            retry(() -> tgtadm("--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", Integer.toString(tid),
                    "--force"));
        }
        tids.clear();
        retry(() -> tgtadm("--op", "delete", "--mode", "system"));
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS); // our own child only
        }
        process = null;
        removeSocketFiles(controlPort);
    }

    private void retry(Supplier<ExternalTools.Result> command) throws InterruptedException {
        for (int attempt = 0; attempt < 100 && alive(); attempt++) {
            ExternalTools.Result result = command.get();
            if (result.exitCode() == 0 || result.all().contains("can't find the target")) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** Kills our tgtd with SIGKILL, as a crash would: every socket closes at once. Cleans its control socket. */
    public void crash() throws InterruptedException, IOException {
        if (process == null) {
            return;
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // our own child only
        process = null;
        tids.clear();
        removeSocketFiles(controlPort);
    }

    /** Starts a fresh tgtd on the same ports (after {@link #stop()}). */
    public void restart() throws IOException, InterruptedException {
        if (process != null) {
            throw new IllegalStateException("still running");
        }
        launch();
    }

    private static void removeSocketFiles(int controlPort) throws IOException {
        Files.deleteIfExists(Path.of("/var/run/tgtd/socket." + controlPort));
        Files.deleteIfExists(Path.of("/var/run/tgtd/socket." + controlPort + ".lock"));
    }

    private static void ok(ExternalTools.Result result) {
        assertEquals(0, result.exitCode(), result::all);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (alive()) {
            thawQuietly();
            stop();
        } else {
            process = null;
            removeSocketFiles(controlPort);
        }
    }

    private void thawQuietly() {
        ExternalTools.run(TOOL_TIMEOUT, "kill", "-CONT", Long.toString(pid()));
    }
}
