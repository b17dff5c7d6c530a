package io.fabricipam.api.store;

import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * How model values sit in columns (see V1__scopes_and_leases.sql): addresses as their unsigned value,
 * MACs and client keys as their canonical text, instants as UTC timestamps to the millisecond. Every
 * setter takes null.
 */
final class Columns {

    private Columns() {
    }

    static void setUuid(PreparedStatement ps, int index, UUID value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else {
            ps.setObject(index, value);
        }
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static void setAddress(PreparedStatement ps, int index, Ipv4Address value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value.unsigned());
        }
    }

    static Ipv4Address address(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Ipv4Address.ofUnsigned(value);
    }

    static void setMac(PreparedStatement ps, int index, MacAddress value) throws SQLException {
        setText(ps, index, value == null ? null : value.toString());
    }

    static MacAddress mac(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : MacAddress.parse(text);
    }

    static void setClient(PreparedStatement ps, int index, ClientKey value) throws SQLException {
        setText(ps, index, value == null ? null : value.toString());
    }

    static ClientKey client(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : ClientKey.parse(text);
    }

    static void setText(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /**
     * Truncated to the millisecond here rather than by the column: PostgreSQL would round to the
     * microsecond, H2 to the column's precision, and a rounded-up expiry would outlive its lease.
     */
    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(value.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static <E extends Enum<E>> void setEnum(PreparedStatement ps, int index, E value) throws SQLException {
        setText(ps, index, value == null ? null : value.name());
    }
}
