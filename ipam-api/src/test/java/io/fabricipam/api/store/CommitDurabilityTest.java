package io.fabricipam.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stores make H2 commits durable at construction (the kill -9 proof is {@link JdbcLeaseStoreCrashIT}). */
class CommitDurabilityTest {

    @TempDir
    Path dir;

    /** The stores keep the database open (DB_CLOSE_DELAY -1); this closes it. */
    @AfterEach
    void shutdown() throws SQLException {
        try (Connection c = h2File("").getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private JdbcDataSource h2File(String settings) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL" + settings);
        ds.setUser("sa");
        return ds;
    }

    @Test
    void theLeaseStoreTurnsTheWriteDelayOff() throws SQLException {
        JdbcDataSource ds = h2File("");
        try (Connection open = ds.getConnection()) {
            assertThat(writeDelays(open)).contains("500"); // H2's default, which loses commits on kill -9

            new JdbcLeaseStore(ds);

            assertThat(writeDelays(open)).containsOnly("0");
        }
    }

    @Test
    void theScopeStoreTurnsTheWriteDelayOffToo() throws SQLException {
        JdbcDataSource ds = h2File("");
        try (Connection open = ds.getConnection()) {
            new JdbcScopeStore(ds, Clock.systemUTC());

            assertThat(writeDelays(open)).containsOnly("0");
        }
    }

    @Test
    void theDatabaseStaysOpenWithTheSettingWhenItsLastConnectionCloses() throws SQLException {
        // No pool: the store's only connection closes at once. H2 would close the database, and reopen it
        // at the next connection with the default delay (it does not re-apply the SET, though it stores it).
        new JdbcLeaseStore(h2File(""));

        try (Connection next = h2File("").getConnection()) {
            assertThat(writeDelays(next)).containsOnly("0");
        }
    }

    @Test
    void aUrlThatSetsAWriteDelayIsRefused() {
        // H2 re-applies URL settings at every new connection: the pool's next one would undo the SET.
        assertThatThrownBy(() -> new JdbcLeaseStore(h2File(";write_delay=500")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WRITE_DELAY=500");
    }

    @Test
    void aUrlThatLetsTheDatabaseCloseIsRefused() {
        assertThatThrownBy(() -> new JdbcLeaseStore(h2File(";DB_CLOSE_DELAY=0")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DB_CLOSE_DELAY=0");
    }

    @Test
    void aUrlThatSetsAWriteDelayIsRefusedBehindHikari() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=100");
        config.setUsername("sa");
        try (HikariDataSource ds = new HikariDataSource(config)) {
            assertThatThrownBy(() -> new JdbcScopeStore(ds, Clock.systemUTC()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("WRITE_DELAY=100");
        }
    }

    @Test
    void aUrlThatAsksForWhatTheStoresSetIsAccepted() throws SQLException {
        DataSource ds = h2File(";WRITE_DELAY=0;DB_CLOSE_DELAY=-1");
        try (Connection open = ds.getConnection()) {
            new JdbcLeaseStore(ds);

            assertThat(writeDelays(open)).containsOnly("0");
        }
    }

    @Test
    void urlSettingsAreFoundByName() {
        assertThat(CommitDurability.urlSetting("jdbc:h2:file:/x;MODE=PostgreSQL; write_delay = 10", "WRITE_DELAY"))
                .isEqualTo(" 10");
        assertThat(CommitDurability.urlSetting("jdbc:h2:file:/x;MAX_WRITE_DELAY=10", "WRITE_DELAY")).isNull();
        assertThat(CommitDurability.urlSetting("jdbc:h2:file:/x", "WRITE_DELAY")).isNull();
        assertThat(CommitDurability.urlSetting(null, "WRITE_DELAY")).isNull();
    }

    /** H2 lists WRITE_DELAY twice once it was set: the stored setting and the store's effective delay. */
    private static List<String> writeDelays(Connection c) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
