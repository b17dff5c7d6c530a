package io.fabricipam.controller.start;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Whether the database already has every versioned migration on the classpath, told without starting Flyway
 * (measured here: Flyway loads ~2,300 classes and costs ~0.5 s of CPU to find nothing to do). Only the
 * common case is answered yes: classpath locations holding nothing but {@code V<version>__<name>.sql}, and
 * a {@code flyway_schema_history} in which each of them succeeded and nothing failed. Anything else
 * (a new database, a new migration, repeatable or undo scripts, a failed row) is a no: then Flyway runs
 * before DHCP starts. Either way Boot's Flyway runs in the context later and validates the checksums.
 */
final class SchemaVersion {

    /** Flyway's default naming: V, the version with dots or underscores, two underscores, a description. */
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");
    private static final String HISTORY_TABLE = "flyway_schema_history";
    private static final String HISTORY = "SELECT version, success FROM " + HISTORY_TABLE;

    private SchemaVersion() {
    }

    static boolean isCurrent(DataSource dataSource, List<String> locations) {
        Set<MigrationVersion> wanted = new HashSet<>();
        try {
            PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(SchemaVersion.class.getClassLoader());
            for (String location : locations) {
                if (!location.startsWith("classpath:")) {
                    return false;
                }
                String path = location.substring("classpath:".length()).replaceAll("^/+|/+$", "");
                for (Resource r : resolver.getResources("classpath*:" + path + "/*")) {
                    Matcher m = r.getFilename() == null ? null : VERSIONED.matcher(r.getFilename());
                    if (m == null || !m.matches()) {
                        return false;
                    }
                    wanted.add(MigrationVersion.fromVersion(m.group(1).replace('_', '.')));
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (wanted.isEmpty()) {
            return false;
        }
        Set<MigrationVersion> applied = new HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            if (!hasHistory(c)) {
                return false; // a new database
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(HISTORY)) {
                while (rs.next()) {
                    String version = rs.getString(1);
                    if (!rs.getBoolean(2)) {
                        return false;
                    }
                    if (version != null) {
                        applied.add(MigrationVersion.fromVersion(version));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            return false;
        }
        return applied.containsAll(wanted);
    }

    /** Asked of the metadata rather than by a failing query, which H2 would record in a trace file. */
    private static boolean hasHistory(Connection c) throws SQLException {
        for (String name : new String[] {HISTORY_TABLE, HISTORY_TABLE.toUpperCase(Locale.ROOT)}) {
            try (ResultSet tables = c.getMetaData().getTables(null, null, name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
