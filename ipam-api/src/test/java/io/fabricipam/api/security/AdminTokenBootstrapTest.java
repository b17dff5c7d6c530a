package io.fabricipam.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.fabricipam.apitest.MigratedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The first admin token: given at start (variable or property), or generated once into an owner-only file.
 * Each "start" is a fresh application context on the same H2 file database and data directory.
 */
class AdminTokenBootstrapTest {

    @TempDir
    Path home;

    private Path dataDir;
    private ApplicationContextRunner runner;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger root;
    private Logger ours;
    private Level rootLevel;
    private Level ourLevel;

    @BeforeEach
    void setUp() {
        dataDir = home.resolve("data");
        String url = "jdbc:h2:file:" + home.resolve("db/fabric-ipam") + MigratedDatabase.H2_FLAGS;
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class))
                .withUserConfiguration(ApiTokenConfiguration.class)
                .withPropertyValues("spring.datasource.url=" + url, "spring.datasource.username=sa",
                        "fabric.data-dir=" + dataDir);
        // What every logger says at INFO (the application's level) and ours at DEBUG, while contexts come and go.
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ours = (Logger) LoggerFactory.getLogger("io.fabricipam");
        rootLevel = root.getLevel();
        ourLevel = ours.getLevel();
        root.setLevel(Level.INFO);
        ours.setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        ours.setLevel(ourLevel);
    }

    private void start(Consumer<AssertableApplicationContext> check, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            check.accept(context);
        });
    }

    private Path tokenFile() {
        return dataDir.resolve(AdminTokenBootstrap.FILE_NAME);
    }

    private String fileToken() throws IOException {
        return Files.readString(tokenFile()).strip();
    }

    private List<String> logLines() {
        return logs.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
    }

    @Test
    void theFirstStartWritesAnOwnerOnlyFileAndLogsOnlyAPrefix() throws IOException {
        start(context -> {
            TokenRegistry registry = context.getBean(TokenRegistry.class);
            String token;
            try {
                token = fileToken();
                assertThat(Files.getPosixFilePermissions(tokenFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                try (Stream<Path> files = Files.list(dataDir)) {
                    assertThat(files).containsExactly(tokenFile()); // no temporary file left behind
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertThat(token).matches("fip_[A-Za-z0-9_-]{43}");
            assertThat(registry.authenticate(token)).contains(new ApiPrincipal("admin", ApiRole.ADMIN));
            assertThat(registry.list()).extracting(ApiToken::name, ApiToken::role)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("admin", ApiRole.ADMIN));
        });
        String token = fileToken();

        assertThat(logLines()).anySatisfy(line -> assertThat(line)
                .contains(Tokens.shortPrefix(token)).contains(tokenFile().toAbsolutePath().toString()));
        assertThat(logLines()).isNotEmpty().noneMatch(line -> line.contains(token))
                .noneMatch(line -> line.contains(token.substring(Tokens.PREFIX.length())))
                .noneMatch(line -> line.contains(Tokens.hash(token)));
    }

    @Test
    void laterStartsKeepTheFirstToken() throws IOException {
        start(context -> { });
        String token = fileToken();
        Instant written = Files.getLastModifiedTime(tokenFile()).toInstant();

        start(context -> {
            TokenRegistry registry = context.getBean(TokenRegistry.class);
            assertThat(registry.list()).hasSize(1);
            assertThat(registry.authenticate(token)).contains(new ApiPrincipal("admin", ApiRole.ADMIN));
        });
        assertThat(fileToken()).isEqualTo(token);
        assertThat(Files.getLastModifiedTime(tokenFile()).toInstant()).isEqualTo(written);
        assertThat(logLines()).noneMatch(line -> line.contains(token));
    }

    @Test
    void whenEveryAdminWasRevokedTheNextStartMakesANewOne() throws IOException {
        start(context -> context.getBean(TokenRegistry.class).revoke("admin"));
        String revoked = fileToken();

        start(context -> {
            TokenRegistry registry = context.getBean(TokenRegistry.class);
            String token;
            try {
                token = fileToken();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertThat(token).isNotEqualTo(revoked);
            assertThat(registry.authenticate(token)).contains(new ApiPrincipal("admin-2", ApiRole.ADMIN));
            assertThat(registry.authenticate(revoked)).isEmpty();
        });
        assertThat(Files.getPosixFilePermissions(tokenFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void anAdminTokenGivenInThePropertyIsUsedAndNothingIsWritten() {
        start(context -> {
            TokenRegistry registry = context.getBean(TokenRegistry.class);
            assertThat(registry.authenticate("from-the-property"))
                    .contains(new ApiPrincipal(TokenRegistry.BOOTSTRAP_ADMIN, ApiRole.ADMIN));
            assertThat(registry.list()).isEmpty();
        }, "fabric.api.admin-token=from-the-property");
        assertThat(tokenFile()).doesNotExist();
        assertThat(logLines()).noneMatch(line -> line.contains("from-the-property"));
    }

    @Test
    void theEnvironmentVariableWinsOverTheProperty() {
        // Spring reads FABRIC_IPAM_ADMIN_TOKEN through its environment, where a property of that name stands in
        // for the process environment, which a running JVM cannot change.
        start(context -> {
            TokenRegistry registry = context.getBean(TokenRegistry.class);
            assertThat(registry.authenticate("from-the-variable"))
                    .contains(new ApiPrincipal(TokenRegistry.BOOTSTRAP_ADMIN, ApiRole.ADMIN));
            assertThat(registry.authenticate("from-the-property")).isEmpty();
        }, "FABRIC_IPAM_ADMIN_TOKEN=from-the-variable", "fabric.api.admin-token=from-the-property");
        assertThat(tokenFile()).doesNotExist();
        assertThat(logLines()).anySatisfy(line -> assertThat(line).contains("FABRIC_IPAM_ADMIN_TOKEN"))
                .noneMatch(line -> line.contains("from-the-variable"));
    }

    @Test
    void aGivenTokenReplacesTheOldOneAtTheNextStart() {
        start(context -> { }, "FABRIC_IPAM_ADMIN_TOKEN=first");
        start(context -> {
            TokenRegistry registry = context.getBean(TokenRegistry.class);
            assertThat(registry.authenticate("first")).isEmpty();
            assertThat(registry.authenticate("second")).isPresent();
        }, "FABRIC_IPAM_ADMIN_TOKEN=second");
    }

    @Test
    void aDataDirectoryThatCannotHoldTheFileStopsTheStartAndStoresNothing() throws IOException {
        Files.writeString(dataDir, "a file where the directory should be");
        runner.run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining(dataDir.toString()));
        try (MigratedDatabase db = MigratedDatabase.at("jdbc:h2:file:" + home.resolve("db/fabric-ipam")
                + MigratedDatabase.H2_FLAGS, "sa")) {
            assertThat(new JdbcApiTokenStore(db.dataSource()).list()).isEmpty();
        }
    }
}
