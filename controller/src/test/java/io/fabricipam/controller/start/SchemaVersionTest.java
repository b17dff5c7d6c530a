package io.fabricipam.controller.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the project's own migrations (classpath:db/migration, from ipam-api) and a real H2 database. */
class SchemaVersionTest {

    static final List<String> MIGRATIONS = List.of("classpath:db/migration");

    static JdbcDataSource database(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return ds;
    }

    static void migrate(JdbcDataSource ds, String target) {
        Flyway.configure().dataSource(ds).locations(MIGRATIONS.toArray(String[]::new)).target(target).load().migrate();
    }

    @Test
    void aNewDatabaseIsNotCurrent() {
        assertThat(SchemaVersion.isCurrent(database("sv-new"), MIGRATIONS)).isFalse();
    }

    @Test
    void aDatabaseWithEveryMigrationIsCurrent() {
        JdbcDataSource ds = database("sv-all");
        migrate(ds, "latest");
        assertThat(SchemaVersion.isCurrent(ds, MIGRATIONS)).isTrue();
    }

    @Test
    void aDatabaseBehindTheNewestMigrationIsNot() {
        JdbcDataSource ds = database("sv-behind");
        migrate(ds, "2");
        assertThat(SchemaVersion.isCurrent(ds, MIGRATIONS)).isFalse();
    }

    @Test
    void aFailedMigrationMeansFlywayMustLook() throws Exception {
        JdbcDataSource ds = database("sv-failed");
        migrate(ds, "latest");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE flyway_schema_history SET success = FALSE WHERE version = '3'");
        }
        assertThat(SchemaVersion.isCurrent(ds, MIGRATIONS)).isFalse();
    }

    @Test
    void locationsOutsideTheClasspathAreLeftToFlyway() {
        JdbcDataSource ds = database("sv-fs");
        migrate(ds, "latest");
        assertThat(SchemaVersion.isCurrent(ds, List.of("filesystem:/etc/fabric-ipam/sql"))).isFalse();
        assertThat(SchemaVersion.isCurrent(ds, List.of("classpath:no/such/place"))).isFalse();
    }

    @Test
    void scriptsAreListedFromTheProjectsOwnClasspath() throws Exception {
        assertThat(SchemaVersion.scripts(getClass().getClassLoader(), "db/migration"))
                .contains("V1__scopes_and_leases.sql", "V4__lease_scope_fk_and_journal_id.sql")
                .allMatch(name -> name.matches("V[0-9]+__.+\\.sql"));
    }

    @Test
    void scriptsAreListedFromJarsAndDirectoriesButNotFromSubfolders(@TempDir Path tmp) throws Exception {
        Path jar = tmp.resolve("one.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : List.of("sql/", "sql/V1__a.sql", "sql/old/", "sql/old/V0__b.sql", "other/V9__c.sql")) {
                out.putNextEntry(new JarEntry(entry));
                out.closeEntry();
            }
        }
        Path dir = tmp.resolve("classes");
        Files.createDirectories(dir.resolve("sql/nested"));
        Files.writeString(dir.resolve("sql/V2__d.sql"), "");
        Files.writeString(dir.resolve("sql/nested/V3__e.sql"), "");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL(), dir.toUri().toURL()}, null)) {
            assertThat(SchemaVersion.scripts(loader, "sql")).containsExactlyInAnyOrder("V1__a.sql", "V2__d.sql");
            assertThat(SchemaVersion.scripts(loader, "nowhere")).isEmpty();
        }
    }
}
