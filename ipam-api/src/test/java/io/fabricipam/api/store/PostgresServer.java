package io.fabricipam.api.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A private, throw-away PostgreSQL 15 server for tests: its own data directory and unix socket in a
 * temporary directory, its own port, trust authentication, stopped by its own pg_ctl. Uses Debian's
 * {@code postgresql} package; without it the calling test is skipped, not failed.
 *
 * <p>PostgreSQL refuses to run as root, so as root the binaries run as the {@code postgres} user (which
 * the package creates) through {@code runuser}; as any other user they run directly. Durability settings
 * are off: these servers check SQL, and a crash loses nothing worth keeping.
 */
final class PostgresServer implements AutoCloseable {

    /** Debian's PostgreSQL 15; {@code -Dfabric.postgres.bin=...} points elsewhere (another version, a build). */
    static final Path BIN = Path.of(System.getProperty("fabric.postgres.bin", "/usr/lib/postgresql/15/bin"));
    static final String USER = "fabric";
    private static final long TIMEOUT_SECONDS = 60;

    private final Path home;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;

    private PostgresServer(Path home, int port, boolean asPostgresUser) {
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * For {@code @EnabledIf("io.fabricipam.api.store.PostgresServer#installed")} on a test class: a disabled
     * class is reported as skipped, with its reason, where an assumption failing in {@code @BeforeAll} would
     * leave the report at "0 tests run".
     */
    static boolean installed() {
        boolean installed = Files.isExecutable(BIN.resolve("pg_ctl")) && Files.isExecutable(BIN.resolve("initdb"));
        if (!installed) {
            System.err.println("PostgreSQL 15 is not installed (no " + BIN + "/pg_ctl): skipping the PostgreSQL"
                    + " tests. Install it with: apt-get install -y postgresql");
        }
        return installed;
    }

    /** Starts a server, or aborts the calling test (JUnit assumption) when it cannot run here. */
    static PostgresServer startOrSkip() {
        Assumptions.assumeTrue(installed(), "PostgreSQL 15 is not installed (no " + BIN + "/pg_ctl): skipping."
                + " Install it with: apt-get install -y postgresql");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")),
                    "running as root without runuser: cannot start PostgreSQL as the postgres user; skipping");
        }
        try {
            UserPrincipal postgres = root ? postgresUser() : null;
            Path home = Files.createTempDirectory("fabric-pg-");
            if (postgres != null) {
                Files.setOwner(home, postgres);
            }
            PostgresServer server = new PostgresServer(home, freePort(), root);
            try {
                server.initdb();
                server.start();
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
            Assumptions.abort("running as root and there is no postgres user to run PostgreSQL as; skipping");
            return null;
        }
    }

    private static int freePort() throws IOException {
        // 55432 plus a random offset, so that parallel builds on one machine rarely meet; then checked.
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = 55432 + ThreadLocalRandom.current().nextInt(2000);
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in 55432..57431");
    }

    private void initdb() throws IOException {
        run(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust", "--encoding=UTF8",
                "--locale=C", "--no-sync", "--no-instructions");
    }

    private void start() throws IOException {
        String options = "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1"
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("server.log").toString(),
                "-o", options, "-w", "-t", String.valueOf(TIMEOUT_SECONDS), "start");
        running = true;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Runs a PostgreSQL binary (as postgres when we are root) in {@link #home}; fails with its output. */
    private void run(String... command) throws IOException {
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
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " failed (" + p.exitValue() + "):\n"
                        + new String(output) + serverLog());
            }
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

    /** Stops this server through its own pg_ctl (never a broad kill), then removes its directory. */
    @Override
    public void close() {
        try {
            if (running) {
                run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
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
