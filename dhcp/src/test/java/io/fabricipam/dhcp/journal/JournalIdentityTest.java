package io.fabricipam.dhcp.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.testing.RecordingLeaseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal directory replays only into the database it fed: each case of the binding between the
 * directory's IDENTITY file and the database's journal id.
 */
class JournalIdentityTest {

    static final String DATABASE = "jdbc:h2:file:/srv/jn-test/fabric-ipam";

    @TempDir
    Path data;

    Path dir() {
        return data.resolve("journal");
    }

    FileLeaseJournal journal(RecordingLeaseStore store) {
        return new FileLeaseJournal(store, FileLeaseJournal.Settings.in(dir()).withDatabase(DATABASE));
    }

    /** A journal that fed {@code store} and holds {@code unstoredChanges} changes the store has not seen. */
    void feed(RecordingLeaseStore store, int storedChanges, int unstoredChanges) throws Exception {
        FileLeaseJournal journal = journal(store);
        journal.start();
        append(journal, 0, storedChanges);
        assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();
        if (unstoredChanges > 0) {
            store.failWith(new RuntimeException("database down"));
            append(journal, storedChanges, storedChanges + unstoredChanges);
        }
        journal.close(); // with the store down it gives up after its retries: the changes stay in the file
        store.failWith(null);
    }

    static void append(FileLeaseJournal journal, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            CompletableFuture<Void> f = journal.append(FileLeaseJournalTest.change(i));
            f.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aNewDatabaseDoesNotTakeAnotherDatabasesJournal() throws Exception {
        feed(new RecordingLeaseStore(), 25, 0); // the incident: 266,445 changes of another database replayed
        RecordingLeaseStore fresh = new RecordingLeaseStore();

        assertThatThrownBy(() -> journal(fresh).start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir().toAbsolutePath().toString()).hasMessageContaining(DATABASE)
                .hasMessageContaining("has never been fed by a lease journal").hasMessageContaining("move");
        assertThat(fresh.leases(FileLeaseJournalTest.SCOPE)).as("nothing replayed").isEmpty();
        assertThat(fresh.journalId()).isNull();
    }

    @Test
    void aNewDatabaseAndAnEmptyDirectoryAreBoundAtTheFirstStart() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        try (FileLeaseJournal journal = journal(store)) {
            journal.start();
        }
        UUID id = JournalIdentity.read(dir());
        assertThat(id).isNotNull();
        assertThat(store.journalId()).isEqualTo(id);
        try (FileLeaseJournal again = journal(store)) {
            again.start(); // same pair: fine
            append(again, 0, 3);
            assertThat(again.awaitStored(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(JournalIdentity.read(dir())).isEqualTo(id);
    }

    @Test
    void anEmptyJournalAdoptsANewDatabaseUnderANewIdentity() throws Exception {
        RecordingLeaseStore first = new RecordingLeaseStore();
        try (FileLeaseJournal journal = journal(first)) {
            journal.start(); // no lease yet; a crash after IDENTITY was written looks alike
        }
        RecordingLeaseStore fresh = new RecordingLeaseStore();
        try (FileLeaseJournal journal = journal(fresh)) {
            journal.start();
        }
        assertThat(fresh.journalId()).isEqualTo(JournalIdentity.read(dir())).isNotEqualTo(first.journalId());
        // The first database must not share the journal now: what it would replay is the new one's.
        assertThatThrownBy(() -> journal(first).start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(first.journalId().toString());
    }

    @Test
    void aDatabaseBoundToAnotherJournalIsRefused() throws Exception {
        feed(new RecordingLeaseStore(), 3, 0);
        RecordingLeaseStore other = new RecordingLeaseStore();
        UUID elsewhere = UUID.fromString("e15e0000-0000-4000-8000-000000000001");
        other.bindJournal(null, elsewhere);
        other.apply(List.of(), 40);

        assertThatThrownBy(() -> journal(other).start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir().toAbsolutePath().toString()).hasMessageContaining(DATABASE)
                .hasMessageContaining(elsewhere.toString()).hasMessageContaining(JournalIdentity.read(dir()).toString())
                .hasMessageContaining("UPDATE lease_journal SET journal_id = NULL");
        assertThat(other.leases(FileLeaseJournalTest.SCOPE)).isEmpty();
    }

    @Test
    void aBoundDatabaseWithAnEmptyDirectoryIsRefused() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        feed(store, 3, 2);
        Path moved = data.resolve("journal-moved");
        Files.move(dir(), moved); // the data directory is lost, or fabric.data-dir points elsewhere

        assertThatThrownBy(() -> journal(store).start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir().toAbsolutePath().toString()).hasMessageContaining(DATABASE)
                .hasMessageContaining("would be lost");

        try (var left = Files.list(dir())) {
            assertThat(left).as("a refused start writes nothing").isEmpty();
        }
        Files.delete(dir());
        Files.move(moved, dir()); // the right directory again: its changes are replayed
        try (FileLeaseJournal journal = journal(store)) {
            journal.start();
        }
        assertThat(store.leases(FileLeaseJournalTest.SCOPE)).hasSize(5);
    }

    @Test
    void aDatabaseFromBeforeIdentitiesAdoptsTheJournalThatReachesBackToItsPosition() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        feed(store, 3, 2);
        Files.delete(dir().resolve(JournalIdentity.FILE)); // as an older version left them
        store.bindJournal(store.journalId(), null);

        try (FileLeaseJournal journal = journal(store)) {
            journal.start(); // the upgrade: adopt, replay what the database has not seen
        }
        assertThat(store.leases(FileLeaseJournalTest.SCOPE)).hasSize(5);
        assertThat(store.journalId()).isNotNull().isEqualTo(JournalIdentity.read(dir()));
    }

    @Test
    void anUnboundDatabaseIsRefusedAJournalThatDoesNotReachBackToItsPosition() throws Exception {
        RecordingLeaseStore store = new RecordingLeaseStore();
        FileLeaseJournal journal = new FileLeaseJournal(store, new FileLeaseJournal.Settings(dir(), 512, Duration.ZERO,
                false, 2000, 4096, Duration.ofMillis(20)).withDatabase(DATABASE)); // small segments: old ones deleted
        journal.start();
        append(journal, 0, 100);
        assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();
        journal.close();
        RecordingLeaseStore behind = new RecordingLeaseStore();
        behind.apply(List.of(), 10); // a database that saw records 1-10 of some journal, never bound

        assertThatThrownBy(() -> journal(behind).start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds lease journal records up to 10").hasMessageContaining(DATABASE);
    }
}
