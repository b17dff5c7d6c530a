package io.fabricipam.dhcp.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.store.FencedWriteException;
import io.fabricipam.dhcp.store.InMemoryLeaderEpochStore;
import io.fabricipam.dhcp.store.InMemoryLeaseStore;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.testing.RecordingLeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StoreLeaseJournalTest {

    static final UUID SCOPE = UUID.randomUUID();

    static List<LeaseChange> change(int i) {
        MacAddress mac = new MacAddress(0x020000000000L + i);
        Lease lease = new Lease(SCOPE, Ipv4Address.parse("10.0.0.0").plus(i), ClientKey.ofHardware(mac), mac, null,
                LeaseState.BOUND, Instant.EPOCH, Instant.EPOCH.plusSeconds(60), "test");
        return List.of(new LeaseChange(null, lease, LeaseEvent.of(LeaseEventType.BOUND, lease, Instant.EPOCH, null), true));
    }

    @Test
    void aBurstIsCommittedInFewBatchesAndEveryChangeLands() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        try (StoreLeaseJournal journal = new StoreLeaseJournal(store, 512, Duration.ofMillis(20))) {
            journal.start();
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                futures.add(journal.append(change(i)));
                if (i % 100 == 0) {
                    Thread.sleep(1); // a stream, not one lump
                }
            }
            for (CompletableFuture<Void> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(store.leases(SCOPE)).hasSize(2000);
            assertThat(store.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2000);
            assertThat(store.batches.size()).as("commits for 2000 changes").isLessThan(200);
        }
    }

    @Test
    void aLoneChangeIsNotHeldForTheWindow() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        // a window far longer than the test may wait: a lone change must not sit it out
        try (StoreLeaseJournal journal = new StoreLeaseJournal(store, 512, Duration.ofSeconds(30))) {
            journal.start();
            for (int i = 0; i < 3; i++) {
                journal.append(change(i)).get(5, TimeUnit.SECONDS);
                Thread.sleep(200);
            }
            assertThat(store.batches).containsExactly(1, 1, 1);
        }
    }

    @Test
    void appendsAfterCloseFailAndQueuedOnesAreCommittedOnClose() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        StoreLeaseJournal journal = new StoreLeaseJournal(store, 512, Duration.ofMillis(5));
        journal.start();
        CompletableFuture<Void> queued = journal.append(change(1));
        journal.close();
        queued.get(5, TimeUnit.SECONDS);
        assertThat(store.leases(SCOPE)).hasSize(1);
        assertThatThrownBy(() -> journal.append(change(2)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("CLOSED");
    }

    @Test
    void awaitStoredWaitsForAChangeAppendedBeforeTheCall() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        try (StoreLeaseJournal journal = new StoreLeaseJournal(store, 512, Duration.ZERO)) {
            journal.start();
            store.hold(); // the writer blocks inside the store's transaction
            CompletableFuture<Void> reply = journal.append(change(1));
            assertThat(journal.awaitStored(Duration.ofMillis(300))).as("a change is queued or being committed").isFalse();
            assertThat(reply).isNotDone();
            store.release();
            long start = System.nanoTime();
            assertThat(journal.awaitStored(Duration.ofSeconds(30))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("woken by the commit, not by the timeout")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(reply).isCompleted();
            assertThat(store.leases(SCOPE)).hasSize(1);
        }
    }

    @Test
    void oneBadChangeDoesNotSinkTheOthersInItsBatch() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        try (StoreLeaseJournal journal = new StoreLeaseJournal(store, 512, Duration.ZERO)) {
            journal.start();
            MacAddress mac = MacAddress.parse("02:00:00:00:00:99");
            Lease bad = new Lease(SCOPE, Ipv4Address.parse("10.0.9.9"), ClientKey.ofHardware(mac), mac, "x".repeat(300),
                    LeaseState.BOUND, Instant.EPOCH, Instant.EPOCH.plusSeconds(60), "test");
            CompletableFuture<Void> good1 = journal.append(change(1));
            CompletableFuture<Void> failing = journal.append(List.of(new LeaseChange(null, bad, null, true)));
            CompletableFuture<Void> good2 = journal.append(change(2));
            good1.get(5, TimeUnit.SECONDS);
            good2.get(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(store.leases(SCOPE)).extracting(Lease::address)
                    .containsExactly(Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"));
        }
    }

    @Test
    void aFencedOutLeaderSendsNoReplyAndStoresNothing() throws Exception {
        InMemoryLeaseStore rows = new InMemoryLeaseStore();
        InMemoryLeaderEpochStore epochs = new InMemoryLeaderEpochStore();
        long mine = epochs.claim("host-a");
        LeaseStore store = rows.fenced(epochs, () -> mine);
        try (StoreLeaseJournal journal = new StoreLeaseJournal(store, 512, Duration.ZERO)) {
            journal.start();
            journal.append(change(1)).get(5, TimeUnit.SECONDS); // while it leads
            epochs.claim("host-b"); // host-a paused past its session; host-b took over

            List<CompletableFuture<Void>> replies = List.of(journal.append(change(2)), journal.append(change(3)),
                    journal.append(change(4)));

            for (CompletableFuture<Void> reply : replies) {
                assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(FencedWriteException.class);
            }
            assertThat(rows.leases(SCOPE)).extracting(Lease::address).containsExactly(Ipv4Address.parse("10.0.0.1"));
            assertThat(journal.awaitStored(Duration.ofSeconds(5))).isTrue();
            assertThat(journal.unstored()).isEmpty();
            assertThat(journal.committedChanges()).isEqualTo(1);
        }
    }
}
