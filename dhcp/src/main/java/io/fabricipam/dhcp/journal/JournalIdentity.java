package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.store.LeaseStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a journal directory to the one database it feeds. Both keep the journal's identifier, a random
 * UUID: the directory in its {@code IDENTITY} file, the database in {@code lease_journal.journal_id}
 * ({@link LeaseStore#journalId()}). Without it a journal follows whatever data directory it is given: a new
 * database was once filled with 266,445 changes replayed from another database's journal.
 *
 * <p>At start:
 * <ul>
 * <li>database bound to the directory's identifier: go on;</li>
 * <li>database bound to another journal, or the directory has none (a new or foreign directory):
 *     refused; the changes of the database's own journal may be waiting elsewhere;</li>
 * <li>database never bound (new, or from before identifiers): the directory adopts it under a new
 *     identifier if that cannot replay foreign changes: a database at position 0 only takes a journal with
 *     no record, and a database at position P only a journal that reaches back to record P+1 (for an
 *     upgrade from before identifiers, the only way to tell). The identifier is new even when the directory
 *     had one: a database bound to the old one (an empty journal adopted before) is then refused with this
 *     directory instead of being fed another database's changes.</li>
 * </ul>
 * The directory's file is written (and forced) before the database is bound, so a crash in between leaves
 * a database that is still unbound and adopts the directory at the next start.
 */
final class JournalIdentity {

    static final String FILE = "IDENTITY";

    private static final Logger log = LoggerFactory.getLogger(JournalIdentity.class);

    private JournalIdentity() {
    }

    /**
     * Checks or makes the binding; returns the journal's identifier.
     *
     * @param records  whether the directory holds any journal record or unstored change
     * @param database how to name the database in messages (its URL)
     * @throws JournalMismatchException when the directory and the database do not belong together
     */
    static UUID bind(Path dir, LeaseStore store, JournalSegments.Layout layout, boolean records, String database)
            throws IOException {
        UUID here = read(dir);
        UUID there = store.journalId();
        long position = store.journalPosition();
        String where = "the lease journal in " + dir.toAbsolutePath() + " (fabric.data-dir/journal)";
        String db = "the database " + database + " (spring.datasource.url)";
        if (there != null) {
            if (there.equals(here)) {
                return here;
            }
            String unbind = " If journal " + there + " is lost for good (and the lease changes it held with it),"
                    + " unbind the database with UPDATE lease_journal SET journal_id = NULL WHERE id = 1 and start"
                    + " again: this directory then adopts it.";
            if (here == null) {
                throw new JournalMismatchException(db + " is fed by lease journal " + there + ", but " + where
                        + " is not that journal (it has no " + FILE + " file" + (records ? "" : " and is empty")
                        + "). Lease changes of journal " + there + " that the database has not seen yet would be lost."
                        + " Start with the data directory that holds journal " + there + " (its journal/" + FILE
                        + " file says so)." + unbind);
            }
            throw new JournalMismatchException(where + " is journal " + here + ", but " + db + " is fed by journal "
                    + there + ": replaying it would write another database's lease changes into this one. Start with the"
                    + " data directory of journal " + there + ", or with the database journal " + here + " belongs to."
                    + unbind);
        }
        String adoptNew = " To start this database with a new, empty journal, move " + dir.toAbsolutePath()
                + " away (keep it: its changes belong to another database) or set fabric.data-dir to a new directory.";
        if (position == 0 && records) {
            throw new JournalMismatchException(db + " has never been fed by a lease journal, but " + where
                    + " holds lease changes" + (here == null ? "" : " of journal " + here) + ": they belong to another"
                    + " database, and replaying them would fill this one with its leases. Start with the database this"
                    + " journal belongs to." + adoptNew);
        }
        if (position > 0 && layout.firstSequence() > position + 1) {
            throw new JournalMismatchException(db + " holds lease journal records up to " + position + ", but " + where
                    + " starts at record " + layout.firstSequence() + ": it is not the journal that fed this database."
                    + " Start with the data directory that holds this database's journal." + adoptNew);
        }
        // Always a new identifier: another database may be bound to the directory's old one (an empty journal
        // can be adopted twice), and it must not take this database's changes later.
        UUID id = UUID.randomUUID();
        write(dir, id);
        if (!store.bindJournal(null, id)) {
            throw new JournalMismatchException(db + " was bound to another lease journal while " + where
                    + " started: is another fabric-ipam using this database?");
        }
        log.info("lease journal {} in {} is now bound to {} (at record {})", id, dir.toAbsolutePath(), database, position);
        return id;
    }

    static UUID read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not hold a journal identifier (a UUID): '" + text + "'", e);
        }
    }

    private static void write(Path dir, UUID id) throws IOException {
        JournalFiles.replace(dir.resolve(FILE), ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)));
    }
}
