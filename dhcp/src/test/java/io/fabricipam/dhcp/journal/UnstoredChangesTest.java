package io.fabricipam.dhcp.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.journal.JournalService.RetryOutcome;
import io.fabricipam.dhcp.journal.JournalService.Unstored;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.store.FencedWriteException;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.testing.RecordingLeaseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged changes the store refuses are never lost: they go to the dead-letter file before the
 * position moves past them, survive restarts, are retried at start and on request, and leave only when
 * stored, dropped (their scope deleted) or discarded.
 */
class UnstoredChangesTest {

    static final UUID SCOPE = UUID.fromString("0c0ffee0-0000-4000-8000-00000000d1e0");
    static final Ipv4Address REFUSED = Ipv4Address.parse("10.0.0.7");

    @TempDir
    Path dir;

    FileLeaseJournal journal(RecordingLeaseStore store) {
        return new FileLeaseJournal(store, new FileLeaseJournal.Settings(dir, 512, Duration.ZERO, false, 64L << 20, 4096,
                Duration.ofMillis(20)));
    }

    static LeaseChange bound(UUID scope, String address, int client, LeaseEventType type) {
        MacAddress mac = new MacAddress(0x020000000000L + client);
        Lease lease = new Lease(scope, Ipv4Address.parse(address), ClientKey.ofHardware(mac), mac, "vm-" + client,
                LeaseState.BOUND, Instant.EPOCH, Instant.EPOCH.plusSeconds(3600 + client), "test");
        return new LeaseChange(null, lease, LeaseEvent.of(type, lease, Instant.EPOCH, null), true);
    }

    static void appendAndStore(FileLeaseJournal journal, LeaseChange... changes) throws Exception {
        for (LeaseChange c : changes) {
            journal.append(List.of(c)).get(10, TimeUnit.SECONDS);
        }
        assertThat(journal.awaitStored(Duration.ofSeconds(10))).as("settled: stored or set aside").isTrue();
    }

    @Test
    void aRefusedChangeIsSetAsideVisibleAfterARestartAndStoredByARetryOnceFixed() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        store.refuse(c -> c.address().equals(REFUSED));
        try (FileLeaseJournal journal = journal(store)) {
            journal.start();
            appendAndStore(journal, bound(SCOPE, "10.0.0.6", 6, LeaseEventType.BOUND),
                    bound(SCOPE, "10.0.0.7", 7, LeaseEventType.BOUND), bound(SCOPE, "10.0.0.8", 8, LeaseEventType.BOUND));
            assertThat(store.leases(SCOPE)).extracting(Lease::address)
                    .containsExactly(Ipv4Address.parse("10.0.0.6"), Ipv4Address.parse("10.0.0.8"));
            assertThat(store.journalPosition()).as("the position moves on: the change is kept elsewhere").isEqualTo(3);
            assertThat(journal.unstored()).singleElement().satisfies(u -> {
                assertThat(u.sequence()).isEqualTo(2);
                assertThat(u.change().address()).isEqualTo(REFUSED);
                assertThat(u.change().event().type()).isEqualTo(LeaseEventType.BOUND);
                assertThat(u.error()).contains("constraint");
            });
            assertThat(journal.status().unstored()).isEqualTo(1);
            assertThat(Files.exists(dir.resolve(DeadLetters.FILE))).isTrue();
        }

        try (FileLeaseJournal again = journal(store)) {
            again.start(); // retried once at start: still refused, still there
            assertThat(again.unstored()).extracting(Unstored::sequence).containsExactly(2L);
            assertThat(store.leases(SCOPE)).hasSize(2);

            store.refuse(null); // the cause is fixed
            RetryOutcome outcome = again.retryUnstored();
            assertThat(outcome.stored()).extracting(Unstored::sequence).containsExactly(2L);
            assertThat(outcome.failing()).isEmpty();
            assertThat(again.unstored()).isEmpty();
            assertThat(store.leases(SCOPE)).hasSize(3).anyMatch(l -> l.address().equals(REFUSED));
            assertThat(store.history(SCOPE, REFUSED, 10)).hasSize(1);
        }
        try (FileLeaseJournal third = journal(store)) {
            third.start();
            assertThat(third.unstored()).as("a stored dead letter left the file for good").isEmpty();
            assertThat(store.history(SCOPE, REFUSED, 10)).as("and is not stored twice").hasSize(1);
        }
    }

    @Test
    void laterChangesOfTheSameAddressWaitBehindARefusedOne() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        LeaseChange first = bound(SCOPE, "10.0.0.7", 7, LeaseEventType.BOUND);
        store.refuse(c -> c == first); // only the first change of the address is refused
        try (FileLeaseJournal journal = journal(store)) {
            journal.start();
            LeaseChange released = new LeaseChange(first.after(), first.after().withState(LeaseState.RELEASED,
                    Instant.EPOCH.plusSeconds(60)), LeaseEvent.of(LeaseEventType.RELEASED, first.after(),
                    Instant.EPOCH.plusSeconds(60), null), true);
            appendAndStore(journal, first, released, bound(SCOPE, "10.0.0.9", 9, LeaseEventType.BOUND));
            // Storing the release over nothing and the binding later would leave the address bound in the store.
            assertThat(store.leases(SCOPE)).extracting(Lease::address).containsExactly(Ipv4Address.parse("10.0.0.9"));
            assertThat(journal.unstored()).extracting(Unstored::sequence).containsExactly(1L, 2L);
            assertThat(journal.unstored().get(1).error()).contains("waits for unstored change #1");

            store.refuse(c -> c == first);
            RetryOutcome stillRefused = journal.retryUnstored();
            assertThat(stillRefused.failing()).extracting(Unstored::sequence).containsExactly(1L, 2L);
            assertThat(stillRefused.stored()).isEmpty();

            store.refuse(null);
            RetryOutcome outcome = journal.retryUnstored();
            assertThat(outcome.stored()).extracting(Unstored::sequence).containsExactly(1L, 2L);
            assertThat(store.leases(SCOPE)).filteredOn(l -> l.address().equals(REFUSED)).singleElement()
                    .extracting(Lease::state).isEqualTo(LeaseState.RELEASED);
        }
    }

    @Test
    void aDiscardedChangeLeavesForGood() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        store.refuse(c -> c.address().equals(REFUSED));
        try (FileLeaseJournal journal = journal(store)) {
            journal.start();
            appendAndStore(journal, bound(SCOPE, "10.0.0.7", 7, LeaseEventType.BOUND),
                    bound(SCOPE, "10.0.0.7", 7, LeaseEventType.RENEWED));
            assertThat(journal.discardUnstored(99)).isEmpty();
            assertThat(journal.discardUnstored(1)).get().extracting(Unstored::sequence).isEqualTo(1L);
            assertThat(journal.unstored()).extracting(Unstored::sequence).containsExactly(2L);
        }
        store.refuse(null);
        try (FileLeaseJournal again = journal(store)) {
            again.start(); // the retry at start stores what is left, and only that
            assertThat(again.unstored()).isEmpty();
            assertThat(store.history(SCOPE, REFUSED, 10)).extracting(LeaseEvent::type)
                    .containsExactly(LeaseEventType.RENEWED);
        }
    }

    @Test
    void aChangeOfADeletedScopeIsDroppedWithItsEventKeptNotSetAside() throws Exception {
        UUID doomed = UUID.fromString("0c0ffee0-0000-4000-8000-00000000dead");
        Set<UUID> scopes = ConcurrentHashMap.newKeySet();
        scopes.add(SCOPE);
        RecordingLeaseStore store = new RecordingLeaseStore(scopes::contains); // the scope was deleted already
        try (FileLeaseJournal journal = journal(store)) {
            journal.start();
            appendAndStore(journal, bound(SCOPE, "10.0.0.6", 6, LeaseEventType.BOUND),
                    bound(doomed, "10.9.0.7", 7, LeaseEventType.RENEWED), bound(SCOPE, "10.0.0.8", 8, LeaseEventType.BOUND));
            assertThat(journal.unstored()).isEmpty();
            assertThat(journal.status().dropped()).isEqualTo(1);
            assertThat(store.leases(doomed)).isEmpty();
            assertThat(store.leases(SCOPE)).hasSize(2);
            assertThat(store.history(doomed, Ipv4Address.parse("10.9.0.7"), 10)).as("the history outlives the scope")
                    .extracting(LeaseEvent::type).containsExactly(LeaseEventType.RENEWED);
            assertThat(store.journalPosition()).isEqualTo(3);
        }
    }

    @Test
    void aDeadLetterWhoseScopeIsDeletedMeanwhileIsDroppedByTheRetry() throws Exception {
        Set<UUID> scopes = ConcurrentHashMap.newKeySet();
        scopes.add(SCOPE);
        RecordingLeaseStore store = new RecordingLeaseStore(scopes::contains);
        store.refuse(c -> c.address().equals(REFUSED));
        try (FileLeaseJournal journal = journal(store)) {
            journal.start();
            appendAndStore(journal, bound(SCOPE, "10.0.0.7", 7, LeaseEventType.BOUND));
            assertThat(journal.unstored()).hasSize(1);
            scopes.remove(SCOPE);
            store.refuse(null);
            RetryOutcome outcome = journal.retryUnstored();
            assertThat(outcome.dropped()).extracting(Unstored::sequence).containsExactly(1L);
            assertThat(journal.unstored()).isEmpty();
            assertThat(journal.status().position()).as("a retry never moves the position back").isEqualTo(1);
        }
    }

    @Test
    void aStoreThatIsDownIsNotARefusal() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        try (FileLeaseJournal journal = journal(store)) {
            journal.start();
            store.failWith(new RuntimeException("connection refused"));
            journal.append(List.of(bound(SCOPE, "10.0.0.7", 7, LeaseEventType.BOUND))).get(10, TimeUnit.SECONDS);
            assertThat(journal.awaitStored(Duration.ofMillis(300))).isFalse();
            store.failWith(null);
            assertThat(journal.awaitStored(Duration.ofSeconds(30))).isTrue();
            assertThat(journal.unstored()).isEmpty();
            assertThat(store.leases(SCOPE)).hasSize(1);
        }
    }

    /**
     * A store that refuses the writer (another host leads now) is not refusing a change: nothing is set aside for
     * it, and a retry of the changes already set aside stops, keeps them all, and says why.
     */
    @Test
    void aFencedStoreIsNeverTakenForARefusedChange() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        store.refuse(c -> c.address().equals(REFUSED));
        try (FileLeaseJournal journal = journal(store)) {
            journal.start();
            appendAndStore(journal, bound(SCOPE, "10.0.0.7", 7, LeaseEventType.BOUND)); // set aside, #1
            store.refuse(null);
            store.failWith(new FencedWriteException(1, 2, "host-b"));

            journal.append(List.of(bound(SCOPE, "10.0.0.8", 8, LeaseEventType.BOUND))).get(10, TimeUnit.SECONDS);
            assertThat(journal.awaitStored(Duration.ofMillis(500))).as("kept in the journal, not settled").isFalse();
            assertThatThrownBy(journal::retryUnstored).isInstanceOf(FencedWriteException.class);

            assertThat(journal.unstored()).extracting(Unstored::sequence).containsExactly(1L);
            assertThat(store.leases(SCOPE)).isEmpty();
            store.failWith(null); // leads again (a new epoch): the journal catches up by itself
            assertThat(journal.awaitStored(Duration.ofSeconds(30))).isTrue();
            assertThat(store.leases(SCOPE)).extracting(Lease::address).containsExactly(Ipv4Address.parse("10.0.0.8"));
            assertThat(journal.unstored()).extracting(Unstored::sequence).containsExactly(1L);
        }
    }
}
