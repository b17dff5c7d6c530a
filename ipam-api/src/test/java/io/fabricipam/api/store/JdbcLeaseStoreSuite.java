package io.fabricipam.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.LeaseStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The lease store contract plus what only the JDBC store has, per database. */
abstract class JdbcLeaseStoreSuite extends LeaseStoreContract {

    /** The migrated database of the concrete class, shared by its tests. */
    abstract TestDatabase database();

    @Override
    protected LeaseStore newStore() {
        database().clear();
        database().insertScope(SCOPE, "scope");
        database().insertScope(OTHER_SCOPE, "other-scope");
        return new JdbcLeaseStore(database().dataSource());
    }

    @Override
    protected void deleteScope(UUID scopeId) {
        database().deleteScope(scopeId);
    }

    @Test
    void deletingAScopeDeletesItsRowsAndKeepsItsHistory() {
        Lease a = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        Lease there = bound(OTHER_SCOPE, "10.0.0.1", MAC_B, T0);
        store.apply(List.of(write(a, LeaseEventType.BOUND), write(there, LeaseEventType.BOUND)));

        database().deleteScope(SCOPE); // no deleteLeases first: the foreign key cascades

        assertThat(store.leases(SCOPE)).isEmpty();
        assertThat(store.leases(OTHER_SCOPE)).containsExactly(there);
        assertThat(store.history(SCOPE, a.address(), 10)).hasSize(1);
    }

    @Test
    void instantsAreCutToTheMillisecondNeverRoundedUp() {
        Instant almostNext = Instant.parse("2024-05-01T10:00:00.123999999Z");
        Lease lease = bound(SCOPE, "10.0.0.1", MAC_A, almostNext);

        store.apply(List.of(write(lease, LeaseEventType.BOUND)));

        Lease read = store.leases(SCOPE).get(0);
        assertThat(read.startedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123Z"));
        assertThat(read.expiresAt()).isEqualTo(Instant.parse("2024-05-01T11:00:00.123Z"));
        assertThat(store.history(SCOPE, lease.address(), 1).get(0).at()).isEqualTo(read.startedAt());
    }

    @Test
    void addressesAreUnsignedNumbersForRangeQueries() throws SQLException {
        store.apply(List.of(
                write(bound(SCOPE, "127.255.255.255", MAC_A, T0), LeaseEventType.BOUND),
                write(bound(SCOPE, "128.0.0.1", MAC_A, T0), LeaseEventType.BOUND),
                write(bound(SCOPE, "200.0.0.1", MAC_A, T0), LeaseEventType.BOUND),
                write(bound(SCOPE, "255.255.255.255", MAC_A, T0), LeaseEventType.BOUND)));

        try (Connection c = database().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM lease WHERE address BETWEEN ? AND ?")) {
            ps.setLong(1, ip("128.0.0.0").unsigned());
            ps.setLong(2, ip("255.255.255.255").unsigned());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        }
    }

    @Test
    void aBatchOfFiveHundredChangesLandsWhole() {
        List<LeaseChange> changes = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            changes.add(write(bound(SCOPE, "10.0." + (i / 250) + "." + (i % 250 + 1), MAC_A, T0), LeaseEventType.BOUND));
        }

        store.apply(changes);

        assertThat(store.leases(SCOPE)).hasSize(500).allMatch(l -> l.state() == LeaseState.BOUND);
        assertThat(store.historyOf(MAC_A, 1000)).hasSize(500);
    }
}
