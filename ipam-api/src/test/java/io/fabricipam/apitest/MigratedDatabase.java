package io.fabricipam.apitest;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A database migrated by the application's Flyway scripts, for the token and audit store tests: a private
 * in-memory H2 in PostgreSQL mode (with the application's URL flags) or any JDBC URL (PostgreSQL).
 */
public final class MigratedDatabase implements AutoCloseable {

    /** The flags of the application's embedded H2 URL (controller's application.yml). */
    public static final String H2_FLAGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private final HikariDataSource dataSource;

    private MigratedDatabase(String url, String user, boolean migrate) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        this.dataSource = new HikariDataSource(config);
        if (migrate) {
            Flyway.configure().dataSource(dataSource).load().migrate();
        }
    }

    public static MigratedDatabase h2Memory() {
        return new MigratedDatabase("jdbc:h2:mem:api-" + UUID.randomUUID() + H2_FLAGS, "sa", true);
    }

    /** An H2 without the schema: every insert into it fails, as a database that lost its tables would. */
    public static MigratedDatabase h2Unmigrated() {
        return new MigratedDatabase("jdbc:h2:mem:empty-" + UUID.randomUUID() + H2_FLAGS, "sa", false);
    }

    public static MigratedDatabase at(String url, String user) {
        return new MigratedDatabase(url, user, true);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public void execute(String... sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An in-memory H2 goes with its last connection (no DB_CLOSE_DELAY here). */
    @Override
    public void close() {
        dataSource.close();
    }
}
