package io.fabricipam.api.store;

import static io.fabricipam.api.store.Columns.instant;
import static io.fabricipam.api.store.Columns.setInstant;

import io.fabricipam.dhcp.store.LeaderEpochStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@link LeaderEpochStore} on the one-row {@code leader_epoch} table (V5__leader_epoch.sql), H2 or PostgreSQL.
 *
 * <p>{@link #claim} is one transaction: an {@code UPDATE ... SET epoch = epoch + 1} (which takes the row
 * exclusively, so it waits for the fenced lease writes under way, see {@link LeaderFence}, and two claims
 * at once each add one) and a read of the value it wrote. Nothing else writes the row.
 */
public final class JdbcLeaderEpochStore implements LeaderEpochStore {

    private static final String BUMP =
            "UPDATE leader_epoch SET epoch = epoch + 1, host_id = ?, claimed_at = ? WHERE id = 1";
    private static final String READ = "SELECT epoch, host_id, claimed_at FROM leader_epoch WHERE id = 1";

    private final Transactions tx;
    private final Clock clock;

    /** The schema must already be migrated (V5). */
    public JdbcLeaderEpochStore(DataSource dataSource, Clock clock) {
        this.tx = new Transactions(dataSource);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public long claim(String hostId) {
        if (hostId == null || hostId.isBlank()) {
            throw new IllegalArgumentException("a leader epoch is claimed by a host: its id must not be blank");
        }
        return tx.write("claim the leader epoch for " + hostId, c -> {
            try (PreparedStatement bump = c.prepareStatement(BUMP)) {
                bump.setString(1, hostId);
                setInstant(bump, 2, clock.instant());
                if (bump.executeUpdate() != 1) {
                    throw new StoreException("no leader_epoch row: the schema is older than V5__leader_epoch.sql", null);
                }
            }
            // The row is ours until commit: this reads what the bump wrote, not a concurrent claim's value.
            try (PreparedStatement read = c.prepareStatement("SELECT epoch FROM leader_epoch WHERE id = 1");
                    ResultSet rs = read.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public Epoch current() {
        return tx.query("read the leader epoch", c -> {
            try (PreparedStatement ps = c.prepareStatement(READ); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("no leader_epoch row: the schema is older than V5__leader_epoch.sql", null);
                }
                return new Epoch(rs.getLong("epoch"), rs.getString("host_id"), instant(rs, "claimed_at"));
            }
        });
    }
}
