package io.fabricipam.api.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The {@code api_token} table (V2__api_tokens_and_audit.sql): token names, roles and hashes, never values. */
class JdbcApiTokenStore {

    /** A working token as the cache holds it. */
    record ActiveToken(String hash, ApiPrincipal principal) {
    }

    private static final String COLUMNS = "name, role, created_at, last_used_at, revoked_at";

    private final JdbcTemplate jdbc;

    JdbcApiTokenStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** @throws DuplicateKeyException when the name is taken (by a working or a revoked token) */
    void insert(String name, ApiRole role, String hash, Instant createdAt) {
        jdbc.update("INSERT INTO api_token (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
                name, role.name(), hash, utc(createdAt));
    }

    List<ApiToken> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_token ORDER BY name", JdbcApiTokenStore::token);
    }

    Optional<ApiToken> find(String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_token WHERE name = ?", JdbcApiTokenStore::token, name)
                .stream().findFirst();
    }

    /**
     * Revokes the named token; revoking it again keeps the first time.
     *
     * @return false when there is no token of that name
     */
    boolean revoke(String name, Instant at) {
        int changed = jdbc.update("UPDATE api_token SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", utc(at), name);
        return changed > 0 || find(name).isPresent();
    }

    List<ActiveToken> active() {
        return jdbc.query("SELECT name, role, token_hash FROM api_token WHERE revoked_at IS NULL",
                (rs, row) -> new ActiveToken(rs.getString("token_hash"),
                        new ApiPrincipal(rs.getString("name"), ApiRole.valueOf(rs.getString("role")))));
    }

    boolean hasActiveAdmin() {
        Integer count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM api_token WHERE role = 'ADMIN' AND revoked_at IS NULL", Integer.class);
        return count != null && count > 0;
    }

    boolean nameTaken(String name) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM api_token WHERE name = ?", Integer.class, name);
        return count != null && count > 0;
    }

    /** Moves last use forward only: touches may arrive late, and from several nodes of a cluster. */
    void touch(String hash, Instant at) {
        OffsetDateTime time = utc(at);
        jdbc.update("UPDATE api_token SET last_used_at = ? WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                time, hash, time);
    }

    private static ApiToken token(ResultSet rs, int row) throws SQLException {
        return new ApiToken(rs.getString("name"), ApiRole.valueOf(rs.getString("role")), instant(rs, "created_at"),
                instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    /** To the millisecond, as the columns keep it, in UTC so that the server's zone never matters. */
    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
