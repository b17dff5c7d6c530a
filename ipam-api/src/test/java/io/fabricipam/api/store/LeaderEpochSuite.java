package io.fabricipam.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.store.FencedWriteException;
import io.fabricipam.dhcp.store.LeaderEpochContract;
import io.fabricipam.dhcp.store.LeaderEpochStore;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The leader epoch contract on a database, plus what only the database shows: the epoch recorded with each row
 * and event, and the claim and an old leader's write serialised by the row lock on {@code leader_epoch} (see
 * {@link LeaderFence}), checked with a transaction held open from a second connection. Also prints what the
 * check costs per {@code apply} (not asserted: timing on a shared machine is no pass/fail).
 */
abstract class LeaderEpochSuite extends LeaderEpochContract {

    /** Longest wait for a session to block on a lock, and for a blocked one to finish. */
    static final Duration WAIT = Duration.ofSeconds(10);

    abstract TestDatabase database();

    private JdbcLeaseStore unfenced;
    private JdbcLeaderEpochStore epochs;

    @Override
    protected void reset() {
        database().clear();
        database().insertScope(SCOPE, "epoch-test");
        unfenced = new JdbcLeaseStore(database().dataSource());
        epochs = new JdbcLeaderEpochStore(database().dataSource(), Clock.fixed(CLAIM_TIME, ZoneOffset.UTC));
    }

    @Override
    protected LeaderEpochStore epochs() {
        return epochs;
    }

    @Override
    protected LeaseStore unfenced() {
        return unfenced;
    }

    @Override
    protected LeaseStore fenced(LongSupplier writerEpoch) {
        return new JdbcLeaseStore(database().dataSource(), writerEpoch);
    }

    /** Sessions of this database waiting for a lock another holds. */
    abstract int sessionsWaitingForALock(Connection c) throws SQLException;

    void awaitSessionsWaitingForALock(int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Connection c = database().dataSource().getConnection()) {
            while (sessionsWaitingForALock(c) < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("fewer than " + count + " session(s) waiting for a lock after " + WAIT);
                }
                Thread.sleep(5);
            }
        }
    }

    long epochOfRow(String table, String address) throws SQLException {
        try (Connection c = database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT max(epoch), min(epoch) FROM " + table + " WHERE scope_id = ? AND address = ?")) {
            ps.setObject(1, SCOPE);
            ps.setLong(2, ip(address));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("one writer epoch per address in " + table).isEqualTo(rs.getLong(2));
                return rs.getLong(1);
            }
        }
    }

    static long ip(String address) {
        return io.fabricipam.dhcp.net.Ipv4Address.parse(address).unsigned();
    }

    @Test
    void rowsAndEventsRecordTheEpochOfTheirWriter() throws SQLException {
        leader("host-a").apply(List.of(write(bound("10.0.0.1", 1))));
        leader("host-b").apply(List.of(write(bound("10.0.0.2", 2))));
        unfenced.apply(List.of(write(bound("10.0.0.3", 3))));

        assertThat(epochOfRow("lease", "10.0.0.1")).isEqualTo(1);
        assertThat(epochOfRow("lease_event", "10.0.0.1")).isEqualTo(1);
        assertThat(epochOfRow("lease", "10.0.0.2")).isEqualTo(2);
        assertThat(epochOfRow("lease_event", "10.0.0.2")).isEqualTo(2);
        assertThat(epochOfRow("lease", "10.0.0.3")).as("a single host writes at 0").isZero();
    }

    /**
     * The old leader has passed its check and is inside its transaction (held there by a lock on its lease row,
     * as a pause would hold it) when the new leader claims: the claim waits, and the old write lands before it.
     */
    @Test
    void aClaimWaitsForAnOldLeaderWriteUnderWayWhichLandsBeforeIt() throws Exception {
        LeaseStore a = leader("host-a");
        Lease first = bound("10.0.0.1", 1);
        a.apply(List.of(write(first)));
        Lease renewed = first.withState(LeaseState.BOUND, first.expiresAt().plusSeconds(3600));
        CompletableFuture<Void> oldWrite;
        CompletableFuture<Long> claim;
        try (Connection holder = database().dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT address FROM lease WHERE address = " + ip("10.0.0.1") + " FOR UPDATE").close();
            }
            oldWrite = CompletableFuture.runAsync(() -> a.apply(List.of(write(renewed))));
            awaitSessionsWaitingForALock(1); // past its check, waiting for its row
            claim = CompletableFuture.supplyAsync(() -> epochs.claim("host-b"));
            awaitSessionsWaitingForALock(2); // the claim waits too: for the old writer's lock on the epoch

            assertThat(claim).as("the claim waits for the write under way").isNotDone();
            assertThat(oldWrite).isNotDone();
            holder.commit();
        }
        oldWrite.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(claim.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);

        assertThat(unfenced.leases(SCOPE)).containsExactly(renewed);
        assertThat(epochOfRow("lease", "10.0.0.1")).isEqualTo(1);
        assertThatThrownBy(() -> a.apply(List.of(write(first)))).isInstanceOf(FencedWriteException.class);
        assertThat(unfenced.leases(SCOPE)).containsExactly(renewed);
    }

    /**
     * The new leader's claim is under way (its update of the epoch row not yet committed) when the old leader
     * starts a write: the write waits for the claim, and is refused when it commits.
     */
    @Test
    void aWriteThatWaitsForAClaimUnderWayIsRefusedWhenTheClaimCommits() throws Exception {
        LeaseStore a = leader("host-a");
        CompletableFuture<Void> lateWrite;
        try (Connection claimer = database().dataSource().getConnection()) {
            claimer.setAutoCommit(false);
            try (Statement s = claimer.createStatement()) { // the claim's own statement, not yet committed
                assertThat(s.executeUpdate("UPDATE leader_epoch SET epoch = epoch + 1, host_id = 'host-b' WHERE id = 1"))
                        .isEqualTo(1);
            }
            lateWrite = CompletableFuture.runAsync(() -> a.apply(List.of(write(bound("10.0.0.9", 9))), 7));
            awaitSessionsWaitingForALock(1);
            assertThat(lateWrite).as("the write waits for the claim").isNotDone();
            claimer.commit();
        }

        assertThatThrownBy(() -> lateWrite.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(FencedWriteException.class);
        assertThat(unfenced.leases(SCOPE)).isEmpty();
        assertThat(unfenced.history(SCOPE, io.fabricipam.dhcp.net.Ipv4Address.parse("10.0.0.9"), 10)).isEmpty();
        assertThat(unfenced.journalPosition()).isZero();
        assertThat(epochs.current().hostId()).isEqualTo("host-b");
    }

    /**
     * What the check adds to an apply of one change (a DHCPACK's BOUND row and event), printed: the best round of
     * each, and the median of the differences of rounds run back to back (the machine is shared).
     */
    @Test
    void fencingCostPerApplyIsPrinted() {
        LeaseStore fenced = leader("host-a");
        int rounds = 5;
        int applies = 300;
        double[] unfencedMs = new double[rounds];
        double[] fencedMs = new double[rounds];
        double[] extraMs = new double[rounds];
        int client = 0;
        for (int round = -1; round < rounds; round++) { // round -1 warms up
            double u = millisPerApply(unfenced, applies, client);
            client += applies;
            double f = millisPerApply(fenced, applies, client);
            client += applies;
            if (round >= 0) {
                unfencedMs[round] = u;
                fencedMs[round] = f;
                extraMs[round] = f - u;
            }
        }
        java.util.Arrays.sort(unfencedMs);
        java.util.Arrays.sort(fencedMs);
        java.util.Arrays.sort(extraMs);
        System.out.printf("leader epoch fencing on %s: best %.3f ms per apply unfenced, %.3f ms fenced;"
                + " median extra %+.3f ms (rounds of %d applies of one change, %d rounds)%n", databaseName(),
                unfencedMs[0], fencedMs[0], extraMs[rounds / 2], applies, rounds);
        assertThat(unfenced.leases(SCOPE)).hasSize(client);
    }

    private static double millisPerApply(LeaseStore store, int applies, int firstClient) {
        List<List<LeaseChange>> batches = new ArrayList<>(applies);
        for (int i = 0; i < applies; i++) {
            int client = firstClient + i + 1;
            batches.add(List.of(write(bound(io.fabricipam.dhcp.net.Ipv4Address.parse("10.2.0.0").plus(client), client))));
        }
        long start = System.nanoTime();
        for (List<LeaseChange> batch : batches) {
            store.apply(batch);
        }
        return (System.nanoTime() - start) / 1e6 / applies;
    }

    private String databaseName() {
        try (Connection c = database().dataSource().getConnection()) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
