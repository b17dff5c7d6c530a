package io.fabricipam.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.journal.FileLeaseJournal;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.store.InMemoryLeaseStore;
import io.fabricipam.dhcp.store.InMemoryScopeStore;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.testing.RecordingLeaseStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leases a start loads: the store's rows with what the journal recovered on top. */
class StoredLeasesTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final UUID SCOPE = UUID.randomUUID();
    static final UUID OTHER = UUID.randomUUID();

    static Lease bound(UUID scope, String address, int client, Instant expires) {
        MacAddress mac = new MacAddress(0x025000000000L + client);
        return new Lease(scope, Ipv4Address.parse(address), ClientKey.ofHardware(mac), mac, null, LeaseState.BOUND, T0,
                expires, "test");
    }

    static LeaseChange change(Lease before, Lease after) {
        Lease row = after != null ? after : before;
        return new LeaseChange(before, after, LeaseEvent.of(after != null ? LeaseEventType.BOUND : LeaseEventType.RELEASED,
                row, T0, null), true);
    }

    @Test
    void recoveredChangesReplaceOrRemoveTheirRowsAndEachScopeComesInAddressOrder() {
        InMemoryLeaseStore store = new InMemoryLeaseStore();
        Lease a = bound(SCOPE, "10.20.0.103", 1, T0.plusSeconds(600));
        Lease b = bound(SCOPE, "10.20.0.101", 2, T0.plusSeconds(600));
        Lease c = bound(SCOPE, "10.20.0.102", 3, T0.plusSeconds(600));
        Lease other = bound(OTHER, "10.20.0.101", 4, T0.plusSeconds(600)); // same address, other scope: untouched
        store.apply(List.of(change(null, a), change(null, b), change(null, c), change(null, other)));
        Lease bRenewed = bound(SCOPE, "10.20.0.101", 2, T0.plusSeconds(3600));
        Lease d = bound(SCOPE, "10.20.0.100", 5, T0.plusSeconds(3600));
        Lease dAgain = bound(SCOPE, "10.20.0.100", 5, T0.plusSeconds(7200));

        Map<UUID, List<Lease>> leases = StoredLeases.read(store, List.of(change(b, bRenewed), change(c, null),
                change(null, d), change(d, dAgain)));

        assertThat(leases.get(SCOPE)).containsExactly(dAgain, bRenewed, a);
        assertThat(leases.get(OTHER)).containsExactly(other);
    }

    @Test
    void withNothingRecoveredTheStoreIsTheAnswer() {
        InMemoryLeaseStore store = new InMemoryLeaseStore();
        Lease a = bound(SCOPE, "10.20.0.101", 1, T0.plusSeconds(600));
        store.apply(List.of(change(null, a)));
        assertThat(StoredLeases.read(store, List.of())).containsOnlyKeys(SCOPE).containsEntry(SCOPE, List.of(a));
    }

    /** After a crash, the journal's tail is served at once, while the database cannot take it yet. */
    @Test
    void aStartKnowsEveryAcknowledgedLeaseBeforeTheStoreHasThem(@TempDir Path dir) throws Exception {
        InMemoryScopeStore scopes = new InMemoryScopeStore();
        Scope lab = scopes.save(new Scope(SCOPE, "lab", Ipv4Network.parse("10.20.0.0/24"), Ipv4Address.parse("10.20.0.1"),
                0, List.of(AddressRange.of("10.20.0.100", "10.20.0.199")), List.of(), 3600, null, null, null, null, null, 0));
        RecordingLeaseStore leases = new RecordingLeaseStore();
        Lease stored = bound(SCOPE, "10.20.0.100", 1, T0.plusSeconds(3600));
        leases.apply(List.of(change(null, stored)));
        Lease acked = bound(SCOPE, "10.20.0.150", 2, T0.plusSeconds(3600));
        FileLeaseJournal.Settings settings = FileLeaseJournal.Settings.in(dir);

        FileLeaseJournal before = new FileLeaseJournal(leases, settings);
        before.start();
        leases.failWith(new RuntimeException("database down"));
        before.append(List.of(change(null, acked), change(stored, null))).get(5, TimeUnit.SECONDS);
        before.close(); // gives up on the store; the file has both changes

        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        ScopeDirectory directory = new ScopeDirectory();
        try (FileLeaseJournal after = new FileLeaseJournal(leases, settings)) {
            after.start(); // the database is still down: the start does not wait for it
            new ScopeAdministration(directory, scopes, leases, after, clock).load();

            ScopeState state = directory.state(lab.id()).orElseThrow();
            assertThat(state.leaseAt(acked.address())).isEqualTo(acked);
            assertThat(state.leaseOf(acked.client())).isEqualTo(acked);
            assertThat(state.leaseAt(stored.address())).as("released before the crash").isNull();
            assertThat(leases.leases(SCOPE)).containsExactly(stored); // the store is behind

            leases.failWith(null);
            assertThat(after.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(leases.leases(SCOPE)).containsExactly(acked);
        }
    }
}
