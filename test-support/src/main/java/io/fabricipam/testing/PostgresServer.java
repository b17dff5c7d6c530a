package io.fabricipam.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private, throw-away PostgreSQL server for tests: its own data directory and unix socket in a temporary
 * directory named after the caller, its own port, trust authentication, stopped by its own pg_ctl and removed
 * on {@link #close()}. Debian's {@code postgresql} package provides it; where it is missing the calling test
 * is skipped, or fails where tools are required ({@link Tools}).
 *
 * <p>The binaries: {@code -Dfabric.postgres.bin=DIR} when set, else {@code pg_config --bindir}, else the
 * newest {@code /usr/lib/postgresql/VERSION/bin} holding {@code initdb} and {@code pg_ctl}.
 *
 * <p>PostgreSQL refuses to run as root, so as root the binaries run as the {@code postgres} user (which the
 * package creates) through {@code runuser}; as any other user they run directly.
 */
public final class PostgresServer implements AutoCloseable {

    /** What a crash may lose; chosen per test. */
    public enum Durability {
        /** fsync, synchronous_commit and full_page_writes off: for tests of SQL, where a crash loses nothing of worth. */
        OFF(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
        /** PostgreSQL's durable defaults stated explicitly (fsync=on, synchronous_commit=on): for crash tests. */
        FSYNC(" -c fsync=on -c synchronous_commit=on -c full_page_writes=on");

        private final String options;

        Durability(String options) {
            this.options = options;
        }
    }

    /** The superuser initdb creates; trust authentication, no password. */
    public static final String USER = "fabric";
    public static final String BIN_PROPERTY = "fabric.postgres.bin";
    private static final long TIMEOUT_SECONDS = 60;
    private static final int FIRST_PORT = 55432;
    private static final int PORT_RANGE = 2000;

    private final Path bin;
    private final Path home;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private final Durability durability;
    private boolean running;

    private PostgresServer(Path bin, Path home, int port, boolean asPostgresUser, Durability durability) {
        this.bin = bin;
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
        this.durability = durability;
    }

    /** The directory of initdb and pg_ctl, if PostgreSQL's server is installed. */
    public static Optional<Path> binaries() {
        String configured = System.getProperty(BIN_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(PostgresServer::hasServer);
        }
        Optional<Path> fromPgConfig = pgConfigBindir().filter(PostgresServer::hasServer);
        if (fromPgConfig.isPresent()) {
            return fromPgConfig;
        }
        return newestInstalled(Path.of("/usr/lib/postgresql"));
    }

    /** {@code pg_config --bindir}; on Debian pg_config may belong to libpq of another version, hence the check. */
    private static Optional<Path> pgConfigBindir() {
        Path pgConfig = Tools.find("pg_config");
        if (pgConfig == null) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(pgConfig.toString(), "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Path.of(out));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The newest {@code root/VERSION/bin} with a server in it (versions compared as numbers: 9.6 < 15 < 16). */
    static Optional<Path> newestInstalled(Path root) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .map(v -> v.resolve("bin")).filter(PostgresServer::hasServer)
                    .max(Comparator.comparingDouble(b -> Double.parseDouble(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasServer(Path bin) {
        return Files.isExecutable(bin.resolve("pg_ctl")) && Files.isExecutable(bin.resolve("initdb"));
    }

    /** True when a server can be started here. */
    public static boolean installed() {
        return binaries().isPresent();
    }

    /**
     * Starts a server whose directory is named after {@code name} (a test's tag, so parallel runs are told
     * apart), or skips the calling test where PostgreSQL cannot run (fails it where tools are required).
     */
    public static PostgresServer start(String name, Durability durability) {
        Optional<Path> bin = binaries();
        Tools.requireThat(bin.isPresent(), "PostgreSQL's server is not installed (no initdb/pg_ctl from pg_config --bindir"
                + " or under /usr/lib/postgresql/*/bin; Debian package postgresql)");
        boolean root = Tools.root();
        if (root) {
            Tools.require("runuser");
        }
        try {
            UserPrincipal postgres = root ? postgresUser() : null;
            Path home = Files.createTempDirectory("fabric-pg-" + name + "-");
            if (postgres != null) {
                Files.setOwner(home, postgres);
            }
            PostgresServer server = new PostgresServer(bin.get(), home, freePort(), root, durability);
            try {
                server.initdb();
                server.startServer();
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static UserPrincipal postgresUser() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        } catch (IOException e) {
            Tools.missing("running as root and there is no postgres user to run PostgreSQL as (Debian package postgresql)");
            return null;
        }
    }

    private static int freePort() throws IOException {
        // a random port in a range, so that parallel builds on one machine rarely meet; then checked
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = FIRST_PORT + ThreadLocalRandom.current().nextInt(PORT_RANGE);
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in " + FIRST_PORT + ".." + (FIRST_PORT + PORT_RANGE - 1));
    }

    private void initdb() throws IOException {
        List<String> initdb = new ArrayList<>(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-instructions"));
        if (durability == Durability.OFF) {
            initdb.add("--no-sync");
        }
        run(initdb.toArray(String[]::new));
    }

    private void startServer() throws IOException {
        String options = "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1" + durability.options;
        run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("server.log").toString(),
                "-o", options, "-w", "-t", String.valueOf(TIMEOUT_SECONDS), "start");
        running = true;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return USER;
    }

    public int port() {
        return port;
    }

    /** The server's directory (data directory, socket, server.log). */
    public Path home() {
        return home;
    }

    /** {@code SHOW setting} through psql, e.g. {@code show("fsync")} is "on" for {@link Durability#FSYNC}. */
    public String show(String setting) {
        if (!setting.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a setting name: " + setting);
        }
        try {
            return run(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER,
                    "-d", "postgres", "-Atc", "SHOW " + setting).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a PostgreSQL binary (as postgres when we are root) in {@link #home}; fails with its output. */
    private String run(String... command) throws IOException {
        List<String> argv = new ArrayList<>();
        if (asPostgresUser) {
            argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        argv.addAll(List.of(command));
        // The working directory must be readable by postgres, or initdb cannot find itself.
        Process p = new ProcessBuilder(argv).directory(home.toFile()).redirectErrorStream(true).start();
        try {
            byte[] output = p.getInputStream().readAllBytes(); // pg_ctl -w returns once the server is up
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " failed (" + p.exitValue() + "):\n" + text + serverLog());
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String serverLog() {
        Path log = home.resolve("server.log");
        try {
            return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** An outage: stops the server (pg_ctl, fast: connections are cut) and keeps its data for {@link #restart()}. */
    public void stop() {
        try {
            run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w",
                    "-t", String.valueOf(TIMEOUT_SECONDS), "stop");
            running = false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot stop the test PostgreSQL in " + data + ": " + e.getMessage(), e);
        }
    }

    /** Starts the server again after {@link #stop()}, on the same data, port and settings. */
    public void restart() {
        try {
            startServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart the test PostgreSQL in " + data + ": " + e.getMessage(), e);
        }
    }

    /** Stops this server through its own pg_ctl (never a broad kill), then removes its directory. */
    @Override
    public void close() {
        try {
            if (running) {
                run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                        "-t", String.valueOf(TIMEOUT_SECONDS), "stop");
                running = false;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot stop the test PostgreSQL in " + data + ": " + e.getMessage(), e);
        } finally {
            if (!running) {
                deleteTree(home);
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test run for
        }
    }
}
