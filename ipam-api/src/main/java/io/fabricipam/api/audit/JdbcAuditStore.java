package io.fabricipam.api.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** The {@code audit_event} table (V2__api_tokens_and_audit.sql). */
class JdbcAuditStore {

    private final JdbcTemplate jdbc;

    JdbcAuditStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Inserts the events in one JDBC batch (one transaction under auto-commit per statement batch). */
    void insert(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO audit_event (occurred_at, principal, role, method, path, status, duration_ms,"
                        + " remote_address, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                events, events.size(), JdbcAuditStore::bind);
    }

    List<AuditEvent> query(AuditQuery query) {
        StringBuilder sql = new StringBuilder("SELECT id, occurred_at, principal, role, method, path, status, duration_ms,"
                + " remote_address, summary FROM audit_event WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.principal() != null) {
            sql.append(" AND principal = ?");
            args.add(query.principal());
        }
        if (query.method() != null) {
            sql.append(" AND method = ?");
            args.add(query.method());
        }
        if (query.since() != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(utc(query.since()));
        }
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ?");
        args.add(query.limit());
        return jdbc.query(sql.toString(), JdbcAuditStore::event, args.toArray());
    }

    /** @return how many rows went */
    int deleteBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM audit_event WHERE occurred_at < ?", utc(cutoff));
    }

    private static void bind(PreparedStatement ps, AuditEvent e) throws SQLException {
        ps.setObject(1, utc(e.occurredAt()));
        ps.setString(2, e.principal());
        if (e.role() == null) {
            ps.setNull(3, Types.VARCHAR);
        } else {
            ps.setString(3, e.role());
        }
        ps.setString(4, e.method());
        ps.setString(5, e.path());
        ps.setInt(6, e.status());
        ps.setLong(7, e.durationMillis());
        ps.setString(8, e.remoteAddress());
        ps.setString(9, e.summary());
    }

    private static AuditEvent event(ResultSet rs, int row) throws SQLException {
        return new AuditEvent(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("principal"), rs.getString("role"), rs.getString("method"), rs.getString("path"),
                rs.getInt("status"), rs.getLong("duration_ms"), rs.getString("remote_address"), rs.getString("summary"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }
}
