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
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.testing.RecordingLeaseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLeaseJournalTest {

    static final UUID SCOPE = UUID.randomUUID();

    @TempDir
    Path dir;

    static List<LeaseChange> change(int i) {
        MacAddress mac = new MacAddress(0x020000000000L + i);
        Lease lease = new Lease(SCOPE, Ipv4Address.parse("10.0.0.0").plus(i % 60000), ClientKey.ofHardware(mac), mac, null,
                LeaseState.BOUND, Instant.EPOCH, Instant.EPOCH.plusSeconds(60 + i), "test");
        return List.of(new LeaseChange(null, lease, LeaseEvent.of(LeaseEventType.BOUND, lease, Instant.EPOCH, null), true));
    }

    FileLeaseJournal journal(RecordingLeaseStore store, long segmentBytes) {
        return new FileLeaseJournal(store, new FileLeaseJournal.Settings(dir, 512, Duration.ofMillis(2), false,
                segmentBytes, 4096, Duration.ofMillis(20)));
    }

    static void appendAll(FileLeaseJournal journal, int from, int to) throws Exception {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = from; i < to; i++) {
            futures.add(journal.append(change(i)));
        }
        for (CompletableFuture<Void> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void acknowledgedChangesReachTheStoreInLargeBatches() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        try (FileLeaseJournal journal = journal(store, 64 << 20)) {
            journal.start();
            appendAll(journal, 0, 3000);
            assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(store.leases(SCOPE)).hasSize(3000);
            assertThat(store.journalPosition()).isEqualTo(3000);
            assertThat(store.batches.size()).as("store transactions for 3000 changes").isLessThan(100);
            assertThat(journal.storeBacklog()).isZero();
        }
    }

    @Test
    void whatTheStoreDidNotSeeIsReplayedAtTheNextStart() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        FileLeaseJournal first = journal(store, 64 << 20);
        first.start();
        store.failWith(new RuntimeException("database down")); // the copier keeps retrying; the file has them
        appendAll(first, 0, 500);
        assertThat(store.leases(SCOPE)).isEmpty();
        abandon(first);

        RecordingLeaseStore same = store;
        same.failWith(null);
        try (FileLeaseJournal second = journal(same, 64 << 20)) {
            second.start(); // reads back what the store has not seen, and copies it in the background
            assertThat(second.recovered()).extracting(LeaseChange::address)
                    .isEqualTo(IntStream.range(0, 500).mapToObj(i -> change(i).get(0).address()).toList());
            assertThat(second.awaitStored(Duration.ofSeconds(10))).as("awaitStored waits for the copy of the replay").isTrue();
            assertThat(same.leases(SCOPE)).hasSize(500);
            assertThat(same.journalPosition()).isEqualTo(500);
            assertThat(second.recovered()).as("released once stored").isEmpty();
            appendAll(second, 500, 600);
            assertThat(second.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(same.journalPosition()).isEqualTo(600);
        }
    }

    @Test
    void aStartDoesNotWaitForTheStoreToTakeWhatItRecovered() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        leaveUnstored(store, 50);
        // the database is still down at the next start: the journal starts anyway, answers from memory, and copies
        // once the store is back
        try (FileLeaseJournal second = journal(store, 64 << 20)) {
            second.start();
            assertThat(second.recovered()).hasSize(50);
            assertThat(second.awaitStored(Duration.ofMillis(300))).isFalse();
            appendAll(second, 50, 60); // new changes are made durable meanwhile
            store.failWith(null);
            assertThat(second.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(store.leases(SCOPE)).hasSize(60);
            assertThat(second.recovered()).isEmpty();
        }
    }

    @Test
    void recoverReadsBackWithoutWritingTheStoreOrTakingAppendsUntilStart() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        leaveUnstored(store, 20);
        store.failWith(null);
        int transactions = store.batches.size();
        try (FileLeaseJournal second = journal(store, 64 << 20)) {
            assertThat(second.recover()).hasSize(20);
            assertThat(second.recover()).as("once").hasSize(20);
            assertThat(second.append(change(20))).isCompletedExceptionally();
            Thread.sleep(100);
            assertThat(store.batches).as("nothing copied before start").hasSize(transactions);
            assertThat(store.leases(SCOPE)).isEmpty();

            second.start();
            appendAll(second, 20, 30);
            assertThat(second.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(store.leases(SCOPE)).hasSize(30);
        }
        try (FileLeaseJournal recoveredOnly = journal(store, 64 << 20)) {
            assertThat(recoveredOnly.recover()).isEmpty(); // closed without a start: the files are let go
        }
    }

    @Test
    void aBacklogBeyondWhatStaysInMemoryIsStoredBeforeTheStartGoesOn() throws Exception {
        int changes = FileLeaseJournal.RECOVERED_IN_MEMORY + 10_000;
        RecordingLeaseStore store = new RecordingLeaseStore();
        leaveUnstored(store, changes);
        store.failWith(null);
        try (FileLeaseJournal second = journal(store, 64 << 20)) {
            second.recover(); // not start: the copier would go on storing the rest meanwhile
            long storedAtStart = store.journalPosition();
            assertThat(second.recovered()).hasSizeLessThanOrEqualTo(FileLeaseJournal.RECOVERED_IN_MEMORY + 4096)
                    .hasSize((int) (changes - storedAtStart));
            assertThat(storedAtStart).isPositive();
            second.start();
            assertThat(second.awaitStored(Duration.ofSeconds(30))).isTrue();
            assertThat(store.journalPosition()).isEqualTo(changes);
        }
    }

    @Test
    void aRecordTornByACrashIsCutOffAndTheRestReplayed() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        leaveUnstored(store, 10);
        Path segment = onlySegment();
        long size = Files.size(segment);
        try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 20); // the last record half written
        }
        store.failWith(null);
        try (FileLeaseJournal second = journal(store, 64 << 20)) {
            second.start();
            assertThat(second.recovered()).hasSize(9);
            assertThat(second.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(store.leases(SCOPE)).hasSize(9);
            appendAll(second, 100, 101); // appends go on after the cut
            assertThat(second.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(store.journalPosition()).isEqualTo(10);
        }
    }

    @Test
    void damageInsideAnOlderSegmentStopsTheStartLoudly() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        FileLeaseJournal first = journal(store, 2000); // small segments: a new one every ~12 records
        first.start();
        store.failWith(new RuntimeException("database down"));
        appendAll(first, 0, 100);
        abandon(first);
        Path oldest = segmentFiles().get(0);
        byte[] bytes = Files.readAllBytes(oldest);
        bytes[30] ^= 0x55;
        Files.write(oldest, bytes);
        store.failWith(null);
        FileLeaseJournal second = journal(store, 2000);
        assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("checksum mismatch");
    }

    @Test
    void segmentsRotateAndStoredOnesAreDeleted() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        try (FileLeaseJournal journal = journal(store, 4000)) {
            journal.start();
            appendAll(journal, 0, 1000);
            assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(journal.segmentCount()).as("segments left once everything is stored").isLessThanOrEqualTo(2);
            assertThat(segmentFiles()).hasSize(journal.segmentCount());
        }
        RecordingLeaseStore fresh = new RecordingLeaseStore();
        fresh.apply(List.of(), 1000); // a store that has everything: nothing to replay
        try (FileLeaseJournal again = journal(fresh, 4000)) {
            again.start();
            assertThat(fresh.leases(SCOPE)).isEmpty();
            appendAll(again, 1000, 1001);
            assertThat(again.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(fresh.journalPosition()).isEqualTo(1001);
        }
    }

    @Test
    void aChangeTheStoreRefusesIsKeptAndStoredOnceTheCauseIsFixed() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        Ipv4Address refusedAddress = change(7).get(0).address();
        store.refuse(c -> c.address().equals(refusedAddress)); // e.g. a constraint the row violates
        try (FileLeaseJournal journal = journal(store, 64 << 20)) {
            journal.start();
            appendAll(journal, 0, 20); // all acknowledged: they are in the journal file
            assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(store.leases(SCOPE)).hasSize(19);
        }
        store.refuse(null); // the cause is fixed
        try (FileLeaseJournal again = journal(store, 64 << 20)) {
            again.start();
            assertThat(store.leases(SCOPE)).as("the refused change, acknowledged to its client, after a restart")
                    .hasSize(20).anyMatch(l -> l.address().equals(refusedAddress));
        }
    }

    @Test
    void awaitStoredWaitsForAChangeAppendedBeforeTheCall() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        try (FileLeaseJournal journal = journal(store, 64 << 20)) {
            journal.start();
            store.hold(); // the copier blocks inside the store
            journal.append(change(1)).get(10, TimeUnit.SECONDS); // durable in the file, not yet in the store
            assertThat(journal.awaitStored(Duration.ofMillis(300))).isFalse();
            store.release();
            long start = System.nanoTime();
            assertThat(journal.awaitStored(Duration.ofSeconds(30))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("woken by the store, not by the timeout")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(store.leases(SCOPE)).hasSize(1);
        }
    }

    @Test
    void withFsyncEveryWrittenBatchIsForcedToDiskAndReplayable() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        FileLeaseJournal.Settings fsync = new FileLeaseJournal.Settings(dir, 512, Duration.ofMillis(2), true, 64 << 20,
                4096, Duration.ofMillis(20));
        FileLeaseJournal first = new FileLeaseJournal(store, fsync);
        first.start();
        store.failWith(new RuntimeException("database down")); // only the file has them
        appendAll(first, 0, 200);
        assertThat(first.commits()).isPositive();
        assertThat(first.fsyncs()).as("one fsync per written batch").isEqualTo(first.commits());
        abandon(first);

        store.failWith(null);
        try (FileLeaseJournal second = new FileLeaseJournal(store, fsync)) {
            second.start();
            assertThat(second.recovered()).hasSize(200);
            assertThat(second.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(store.leases(SCOPE)).hasSize(200);
        }
        try (FileLeaseJournal noFsync = journal(store, 64 << 20)) {
            noFsync.start();
            appendAll(noFsync, 200, 210);
            assertThat(noFsync.fsyncs()).isZero();
        }
    }

    @Test
    void theJournalIsReadableByItsOwnerOnly() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        store.refuse(c -> c.address().equals(change(3).get(0).address())); // so that a dead-letter file exists too
        Path journalDir = dir.resolve("journal");
        try (FileLeaseJournal journal = new FileLeaseJournal(store, FileLeaseJournal.Settings.in(journalDir))) {
            journal.start();
            appendAll(journal, 0, 10);
            assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(Files.getPosixFilePermissions(journalDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(journalDir)) {
            List<Path> all = files.toList();
            assertThat(all).extracting(p -> p.getFileName().toString())
                    .contains("IDENTITY", "unstored.journal").anyMatch(n -> n.startsWith("leases-"));
            for (Path f : all) {
                assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    @Test
    void appendsAfterCloseFail() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        FileLeaseJournal journal = journal(store, 64 << 20);
        journal.start();
        CompletableFuture<Void> queued = journal.append(change(1));
        journal.close();
        queued.get(5, TimeUnit.SECONDS);
        assertThat(store.leases(SCOPE)).hasSize(1);
        assertThat(journal.append(change(2))).isCompletedExceptionally();
    }

    /** A journal that wrote {@code changes} changes while the database was down, then stopped: only its file has them. */
    private void leaveUnstored(RecordingLeaseStore store, int changes) throws Exception {
        FileLeaseJournal first = journal(store, 64 << 20);
        first.start();
        store.failWith(new RuntimeException("database down"));
        appendAll(first, 0, changes);
        abandon(first);
    }

    /** Stops a journal's threads as a crash would, without letting it finish copying. */
    private static void abandon(FileLeaseJournal journal) {
        journal.close(); // the store is failing: close gives up on it after its retries; the file keeps all
    }

    private Path onlySegment() throws IOException {
        List<Path> all = segmentFiles();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** The segment files, oldest first (the directory also holds IDENTITY, and unstored.journal once needed). */
    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("leases-")).sorted().toList();
        }
    }
}
