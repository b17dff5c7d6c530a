package io.fabricipam.controller.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service, {@code java -jar controller/target/fabric-ipam.jar}, as a child process: the way
 * operators run it. Start, SIGTERM, or kill -9 it; its output goes to a log file in the lab directory.
 */
public final class FabricProcess implements AutoCloseable {

    /** Seen here: 10-20 s, and up to ~50 s while other builds load the 2 cores; beyond this it is broken. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Path jar;
    private final Path log;
    private final List<String> arguments;
    private final int httpPort;
    private Process process;

    public FabricProcess(Path dataDir, Path log, List<String> arguments) {
        String jarPath = System.getProperty("fabric.jar", "target/fabric-ipam.jar");
        this.jar = Path.of(jarPath);
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar.toAbsolutePath() + ": run mvn package first");
        }
        this.log = log;
        this.httpPort = freePort();
        this.arguments = new ArrayList<>(List.of("--fabric.data-dir=" + dataDir, "--server.port=" + httpPort));
        if (arguments.stream().noneMatch(a -> a.startsWith("--fabric.openflow.port="))) {
            this.arguments.add("--fabric.openflow.port=0"); // any free port: tests must not fight over 6653
        }
        if (arguments.stream().noneMatch(a -> a.startsWith("--fabric.storage.redirector.listen="))) {
            this.arguments.add("--fabric.storage.redirector.listen=127.0.0.1:0"); // nor over 3261
        }
        this.arguments.addAll(arguments);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails fast, with a reason, when a fixed port a test needs is taken (e.g. by another run of the test). */
    public static void requireFreePort(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("TCP port " + port + " is taken; this test needs it", e);
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public Path log() {
        return log;
    }

    /** Starts the service and waits until its health endpoint answers UP. */
    public FabricProcess start() {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar.toString()));
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        awaitHealthy(START_TIMEOUT);
        return this;
    }

    /** Starts the service expecting it to refuse to start; returns its exit code (fails when it keeps running). */
    public int runToExit(Duration timeout) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar.toString()));
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("fabric-ipam still running after " + timeout + "; see " + log);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("fabric-ipam exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException("fabric-ipam not healthy after " + timeout + "; see " + log);
    }

    public String get(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kill -9: no shutdown hook, no flush. */
    public void kill9() {
        process.destroyForcibly();
        waitExit();
    }

    /** SIGTERM: an orderly stop. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitExit();
        }
    }

    private void waitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitExit();
        }
    }
}
