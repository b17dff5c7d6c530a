package io.fabricipam.api.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Makes a committed transaction durable before commit returns.
 *
 * <p>H2 by default writes its log up to WRITE_DELAY = 500 ms after a commit. We measured H2 2.3 losing
 * 5,000 to 30,000 acknowledged lease commits on kill -9 with the default, and none with WRITE_DELAY 0,
 * at about 143 us per commit (which the stores absorb by batching). A lost BOUND lease means an address
 * handed out twice, so the stores set it themselves at start instead of trusting every deployment's
 * configuration. Two traps, both seen with the kill -9 test ({@code JdbcLeaseStoreCrashIT}), which then
 * found acknowledged leases missing:
 * <ul>
 * <li>The SET lasts only while the database is open. H2 2.3 records it as "persistent" but a reopened
 *     database runs with the default again. A pool may close its last connection (all retired or broken
 *     at once), and H2 then closes the database and reopens it at the next connection. So the stores also
 *     set DB_CLOSE_DELAY -1: once open, the database stays open until the JVM ends or SHUTDOWN.</li>
 * <li>H2 applies the settings of a connection URL at every new connection, database-wide, so a URL that
 *     names WRITE_DELAY would undo the SET at the pool's next connection (Hikari opens them at any time).
 *     A URL that sets WRITE_DELAY other than 0, or DB_CLOSE_DELAY other than -1, is therefore refused.
 *     H2 does not report a connection's URL settings, so the URL is read from the data source: Hikari
 *     (Boot's pool) or H2's own; behind another pool such a URL goes unnoticed.</li>
 * </ul>
 * Both need admin rights: without them the store fails at start rather than lose leases later.
 * PostgreSQL needs nothing here: synchronous_commit is on unless an operator turns it off.
 */
final class CommitDurability {

    private CommitDurability() {
    }

    static void ensure(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (!"H2".equals(c.getMetaData().getDatabaseProductName())) {
                return;
            }
            String url = configuredUrl(dataSource);
            refuseUrlSetting(url, "WRITE_DELAY", "0");
            refuseUrlSetting(url, "DB_CLOSE_DELAY", "-1");
            try (Statement s = c.createStatement()) {
                s.execute("SET DB_CLOSE_DELAY -1");
                s.execute("SET WRITE_DELAY 0");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot make H2 commits durable (SET DB_CLOSE_DELAY -1, SET WRITE_DELAY 0)", e);
        }
    }

    private static void refuseUrlSetting(String url, String name, String required) {
        String value = urlSetting(url, name);
        if (value != null && !value.trim().equals(required)) {
            throw new IllegalStateException("the H2 URL sets " + name + "=" + value + ", which H2 re-applies at every new"
                    + " connection: acknowledged leases could then be lost in a crash. Remove it from the URL (the"
                    + " stores set " + name + " " + required + " themselves): " + url);
        }
    }

    private static String configuredUrl(DataSource dataSource) throws SQLException {
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            return dataSource.unwrap(HikariDataSource.class).getJdbcUrl();
        }
        if (dataSource.isWrapperFor(JdbcDataSource.class)) {
            return dataSource.unwrap(JdbcDataSource.class).getURL();
        }
        return null;
    }

    /** The value of {@code name} in an H2 URL's {@code ;KEY=value} settings, or null. */
    static String urlSetting(String url, String name) {
        if (url == null) {
            return null;
        }
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0 && parts[i].substring(0, eq).trim().toUpperCase(Locale.ROOT).equals(name)) {
                return parts[i].substring(eq + 1);
            }
        }
        return null;
    }
}
