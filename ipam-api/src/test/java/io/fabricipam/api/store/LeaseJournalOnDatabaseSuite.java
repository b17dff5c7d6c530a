package io.fabricipam.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.journal.FileLeaseJournal;
import io.fabricipam.dhcp.journal.JournalService.RetryOutcome;
import io.fabricipam.dhcp.journal.JournalService.Unstored;
import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.store.FencedWriteException;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.UnknownScopeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease journals on a real database: a change the database refuses (a constraint) is not lost by the
 * file journal (it stays visible across a restart, and a retry stores it once the cause is fixed), and a
 * late change of a deleted scope is refused by the database's foreign key: dropped with its event kept by
 * the file journal, a failed reply with the database journal.
 */
abstract class LeaseJournalOnDatabaseSuite {

    static final UUID SCOPE = UUID.fromString("a9000000-0000-4000-8000-000000000001");
    static final Ipv4Address REFUSED = Ipv4Address.parse("10.0.0.7");

    @TempDir
    Path dir;

    abstract TestDatabase database();

    JdbcLeaseStore store;

    @BeforeEach
    void emptyDatabase() {
        database().clear();
        database().insertScope(SCOPE, "journal-test");
        store = new JdbcLeaseStore(database().dataSource());
    }

    FileLeaseJournal fileJournal() {
        return new FileLeaseJournal(store, FileLeaseJournal.Settings.in(dir.resolve("journal")).withDatabase("test"));
    }

    static LeaseChange bound(UUID scope, String address, int client) {
        MacAddress mac = new MacAddress(0x020000000000L + client);
        Lease lease = new Lease(scope, Ipv4Address.parse(address), ClientKey.ofHardware(mac), mac, "vm-" + client,
                LeaseState.BOUND, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T01:00:00Z"), "test");
        return new LeaseChange(null, lease, LeaseEvent.of(LeaseEventType.BOUND, lease, lease.startedAt(), null), true);
    }

    @Test
    void aChangeTheDatabaseRefusesSurvivesARestartAndIsStoredOnceTheCauseIsFixed() throws Exception {
        // A constraint the change violates, as an operator's schema change or a bug could add.
        database().execute("ALTER TABLE lease ADD CONSTRAINT jn_refuse_7 CHECK (address <> " + REFUSED.unsigned() + ")");
        try (FileLeaseJournal journal = fileJournal()) {
            journal.start();
            for (int i = 5; i <= 9; i++) {
                journal.append(List.of(bound(SCOPE, "10.0.0." + i, i))).get(10, TimeUnit.SECONDS); // acknowledged
            }
            assertThat(journal.awaitStored(Duration.ofSeconds(30))).isTrue();
            assertThat(store.leases(SCOPE)).hasSize(4);
            assertThat(journal.unstored()).singleElement().satisfies(u -> {
                assertThat(u.change().address()).isEqualTo(REFUSED);
                assertThat(u.error()).containsIgnoringCase("jn_refuse_7");
            });
            assertThat(store.journalPosition()).isEqualTo(5);
        }

        try (FileLeaseJournal restarted = fileJournal()) {
            restarted.start(); // the retry at start fails again: still kept, still visible
            assertThat(restarted.unstored()).extracting(u -> u.change().address()).containsExactly(REFUSED);
            assertThat(restarted.status().unstored()).isEqualTo(1);

            database().execute("ALTER TABLE lease DROP CONSTRAINT jn_refuse_7"); // the cause is fixed
            RetryOutcome outcome = restarted.retryUnstored();
            assertThat(outcome.stored()).extracting(Unstored::sequence).containsExactly(3L);
            assertThat(restarted.unstored()).isEmpty();
            assertThat(store.leases(SCOPE)).hasSize(5).anyMatch(l -> l.address().equals(REFUSED));
            assertThat(store.history(SCOPE, REFUSED, 10)).extracting(LeaseEvent::type).containsExactly(LeaseEventType.BOUND);
        }
    }

    @Test
    void theFileJournalDropsALateChangeOfADeletedScopeAndKeepsItsEvent() throws Exception {
        UUID doomed = UUID.fromString("a9000000-0000-4000-8000-0000000000dd");
        database().insertScope(doomed, "doomed");
        try (FileLeaseJournal journal = fileJournal()) {
            journal.start();
            journal.append(List.of(bound(doomed, "10.9.0.1", 1))).get(10, TimeUnit.SECONDS);
            assertThat(journal.awaitStored(Duration.ofSeconds(30))).isTrue();
            database().deleteScope(doomed); // deleted with force while a client renews: the renewal comes late
            journal.append(List.of(bound(doomed, "10.9.0.1", 1), bound(SCOPE, "10.0.0.5", 5))).get(10, TimeUnit.SECONDS);
            assertThat(journal.awaitStored(Duration.ofSeconds(30))).isTrue();

            assertThat(journal.unstored()).as("it belongs to nothing: not an alarm").isEmpty();
            assertThat(journal.status().dropped()).isEqualTo(1);
            assertThat(store.leases(doomed)).as("no orphan row").isEmpty();
            assertThat(store.leases(SCOPE)).hasSize(1);
            assertThat(store.history(doomed, Ipv4Address.parse("10.9.0.1"), 10)).as("the history outlives the scope")
                    .hasSize(2);
            assertThat(store.journalPosition()).isEqualTo(3);
        }
    }

    @Test
    void theDatabaseJournalFailsTheReplyOfAChangeOfADeletedScope() throws Exception {
        database().deleteScope(SCOPE);
        try (StoreLeaseJournal journal = new StoreLeaseJournal(store, 64)) {
            journal.start();
            assertThatThrownBy(() -> journal.append(List.of(bound(SCOPE, "10.0.0.5", 5))).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UnknownScopeException.class);
            assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(journal.unstored()).isEmpty();
        }
    }

    @Test
    void theDatabaseJournalOfAFencedOutLeaderFailsItsRepliesAndStoresNothing() throws Exception {
        JdbcLeaderEpochStore epochs = new JdbcLeaderEpochStore(database().dataSource(), Clock.systemUTC());
        long mine = epochs.claim("host-a");
        JdbcLeaseStore fenced = new JdbcLeaseStore(database().dataSource(), () -> mine);
        try (StoreLeaseJournal journal = new StoreLeaseJournal(fenced, 64)) {
            journal.start();
            journal.append(List.of(bound(SCOPE, "10.0.0.5", 5))).get(10, TimeUnit.SECONDS); // while it leads
            epochs.claim("host-b");

            assertThatThrownBy(() -> journal.append(List.of(bound(SCOPE, "10.0.0.6", 6))).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(FencedWriteException.class);
            assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(journal.unstored()).isEmpty();
        }
        assertThat(store.leases(SCOPE)).extracting(Lease::address).containsExactly(Ipv4Address.parse("10.0.0.5"));
        assertThat(store.history(SCOPE, Ipv4Address.parse("10.0.0.6"), 10)).isEmpty();
    }
}
