package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.testing.PostgresServer;
import java.util.List;

/**
 * {@link JournalCrashSuite} on the database journal over a private PostgreSQL with {@code fsync=on}, started
 * for the test (its own port and data directory, removed afterwards); the cluster's configuration.
 */
class DatabaseJournalPostgresCrashIT extends JournalCrashSuite {

    PostgresServer postgres;

    @Override
    String tag() {
        return "crp";
    }

    @Override
    List<String> journalArguments(int start) {
        if (postgres == null) {
            postgres = PostgresServer.start("cr", PostgresServer.Durability.FSYNC);
            assertThat(postgres.show("fsync")).isEqualTo("on");
            assertThat(postgres.show("synchronous_commit")).isEqualTo("on");
        }
        return List.of("--fabric.dhcp.journal=database",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.user(),
                "--spring.datasource.password=");
    }

    @Override
    AutoCloseable database() {
        return postgres;
    }
}
