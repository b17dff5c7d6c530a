package io.fabricipam.controller.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.fabricipam.controller.FabricIpamApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The data directory after a start of the whole application: a relative {@code fabric.data-dir} is made
 * absolute once (and logged), the database and the journal use that absolute path, and everything in it
 * is its owner's only (0700 directories, 0600 files: database, journal, admin token).
 */
@ExtendWith(OutputCaptureExtension.class)
class DataDirectoryTest {

    @Test
    void relativePathsAreResolvedOnceAgainstTheWorkingDirectory() {
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(DataDirectory.resolve("./data")).isEqualTo(cwd.resolve("data"));
        assertThat(DataDirectory.resolve("a/../b/")).isEqualTo(cwd.resolve("b"));
        assertThat(DataDirectory.resolve("/var/lib/fabric-ipam/")).isEqualTo(Path.of("/var/lib/fabric-ipam"));
    }

    @Test
    void afterAStartTheDataDirectoryIsAbsoluteAndItsOwnersOnly(CapturedOutput output) throws Exception {
        String relative = "target/jn-data-" + UUID.randomUUID();
        Path expected = Path.of(relative).toAbsolutePath();
        String url = null;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(FabricIpamApplication.class).run(
                "--fabric.data-dir=" + relative, "--server.port=0", "--fabric.openflow.port=0",
                "--fabric.storage.redirector.listen=127.0.0.1:0", "--spring.main.banner-mode=off")) {
            String dataDir = app.getEnvironment().getProperty(DataDirectory.PROPERTY);
            assertThat(dataDir).isEqualTo(expected.toString());
            DataSource dataSource = app.getBean(DataSource.class);
            url = dataSource.unwrap(HikariDataSource.class).getJdbcUrl();
            assertThat(url).startsWith("jdbc:h2:file:" + expected + "/fabric-ipam;");
            assertThat(output).contains("data directory: " + expected + " (fabric.data-dir=" + relative
                    + ", resolved against the working directory " + Path.of("").toAbsolutePath() + ")");

            assertThat(mode(expected)).isEqualTo("rwx------");
            assertThat(mode(expected.resolve("journal"))).isEqualTo("rwx------");
            List<Path> files = files(expected);
            assertThat(files).extracting(p -> expected.relativize(p).toString())
                    .contains("fabric-ipam.mv.db", "admin-token", "journal/IDENTITY")
                    .anyMatch(n -> n.startsWith("journal/leases-"));
            for (Path f : files) {
                assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
            }
        } finally {
            shutdown(url);
            deleteTree(expected);
        }
    }

    /** The stores keep H2 open after the pool closes (DB_CLOSE_DELAY -1): close it before its files go. */
    private static void shutdown(String url) throws SQLException {
        if (url != null) {
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
