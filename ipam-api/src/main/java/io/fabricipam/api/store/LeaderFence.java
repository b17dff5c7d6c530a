package io.fabricipam.api.store;

import io.fabricipam.dhcp.store.FencedWriteException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The check a fenced lease writer makes first in each of its transactions: the stored leader epoch (V5's
 * {@code leader_epoch} row) must not be higher than the writer's, or the transaction is refused with
 * {@link FencedWriteException} before it writes anything.
 *
 * <p>Why no late write of an old leader can land after the new leader's claim has committed: the check reads
 * the epoch row <em>with a row lock held until the writer's transaction ends</em> (PostgreSQL: {@code FOR SHARE},
 * so that writers do not queue behind one another; H2 2.3 knows only {@code FOR UPDATE}), and a claim
 * ({@link JdbcLeaderEpochStore#claim}) updates that row, which needs the row exclusively. So the two are
 * serialised on the row:
 * <ul>
 * <li>a write whose check ran before the claim holds the lock: the claim waits until that write has committed
 *     (or rolled back), so the write lands <em>before</em> the claim, never after it;</li>
 * <li>a write whose check comes while the claim holds the row waits for the claim to end, and then reads the
 *     claimed epoch (PostgreSQL re-reads a row it waited for under READ COMMITTED, and H2 locks and returns the
 *     committed row): refused;</li>
 * <li>a write that starts after the claim committed reads the claimed epoch: refused.</li>
 * </ul>
 * Each fenced transaction checks afresh: a writer that passed the check yesterday is not trusted today.
 *
 * <p>The lock makes a takeover wait for an old leader's open transaction, and an old leader may be paused in
 * the middle of one (a long GC, SIGSTOP). On PostgreSQL the check therefore also sets, for its transaction
 * only, {@code idle_in_transaction_session_timeout} to {@link #WRITER_IDLE_LIMIT}: a writer that stops talking
 * to the database inside its transaction for that long has its session ended by the server, which rolls the
 * write back and releases the row. A healthy writer never idles inside its transaction (its statements follow
 * one another at once), so the limit costs it nothing. H2 is the single-host database; nobody claims there.
 */
final class LeaderFence {

    /** Longest pause of a fenced writer inside its transaction before PostgreSQL ends it (and a claim waits). */
    static final Duration WRITER_IDLE_LIMIT = Duration.ofSeconds(2);

    /** One round trip: the lock, the epoch, and the idle limit (set_config(..., true) is SET LOCAL). */
    private static final String POSTGRES_CHECK = "SELECT epoch, host_id,"
            + " set_config('idle_in_transaction_session_timeout', '" + WRITER_IDLE_LIMIT.toMillis() + "', true)"
            + " FROM leader_epoch WHERE id = 1 FOR SHARE";
    private static final String H2_CHECK = "SELECT epoch, host_id FROM leader_epoch WHERE id = 1 FOR UPDATE";

    private final LongSupplier writerEpoch;
    private volatile String check; // by database, chosen at the first check

    LeaderFence(LongSupplier writerEpoch) {
        this.writerEpoch = writerEpoch;
    }

    /**
     * Checks, in the writer's transaction on {@code c} (auto-commit off), that the writer may write, and holds
     * off claims until the transaction ends; returns the epoch to record with the writes.
     *
     * @throws FencedWriteException when the stored epoch is higher than the writer's
     */
    long check(Connection c) throws SQLException {
        long epoch = writerEpoch.getAsLong();
        try (PreparedStatement ps = c.prepareStatement(checkFor(c)); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new StoreException("no leader_epoch row: the schema is older than V5__leader_epoch.sql", null);
            }
            long stored = rs.getLong(1);
            if (stored > epoch) {
                throw new FencedWriteException(epoch, stored, rs.getString(2));
            }
        }
        return epoch;
    }

    private String checkFor(Connection c) throws SQLException {
        String sql = check;
        if (sql == null) {
            sql = "H2".equals(c.getMetaData().getDatabaseProductName()) ? H2_CHECK : POSTGRES_CHECK;
            check = sql;
        }
        return sql;
    }
}
