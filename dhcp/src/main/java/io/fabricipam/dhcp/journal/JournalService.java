package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.store.LeaseChange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an operator may see and do with a lease journal (the REST API's {@code /api/v1/journal}, health and
 * metrics use it): how far it is, and the acknowledged changes the lease store refused ("unstored"), which
 * the file journal keeps in a dead-letter file until they are stored or discarded. Both journals implement
 * it; the database journal never keeps an unstored change (a refused change fails its reply instead).
 */
public interface JournalService {

    /**
     * A snapshot of the journal.
     *
     * @param mechanism    {@code file} or {@code database}
     * @param directory    the journal directory (absolute), or null for the database journal
     * @param written      the last record written to the journal file (the database journal: changes committed)
     * @param position     the last record the store has, or that was set aside as unstored or dropped
     * @param backlog      changes waiting to be written
     * @param storeBacklog changes written but not yet in the store
     * @param segments     segment files on disk
     * @param unstored     acknowledged changes the store refused, kept in the dead-letter file
     * @param dropped      changes of deleted scopes dropped since the start (their events kept)
     */
    record Status(String mechanism, String directory, long written, long position, int backlog, long storeBacklog,
            int segments, int unstored, long dropped) {
    }

    /**
     * An acknowledged change the store refused.
     *
     * @param sequence its record number in the journal (the key to retry or discard it)
     * @param change   the change as journaled
     * @param since    when it was first set aside
     * @param error    the store's error at the last attempt
     */
    record Unstored(long sequence, LeaseChange change, Instant since, String error) {

        Unstored withError(String latest) {
            return new Unstored(sequence, change, since, latest);
        }
    }

    /**
     * What a retry did with each unstored change.
     *
     * @param stored  now in the store; gone from the dead-letter file
     * @param failing still refused (with the latest error); still in the dead-letter file
     * @param dropped their scope no longer exists: the row is dropped, its event kept; gone from the file
     */
    record RetryOutcome(List<Unstored> stored, List<Unstored> failing, List<Unstored> dropped) {

        public static final RetryOutcome NOTHING = new RetryOutcome(List.of(), List.of(), List.of());
    }

    Status status();

    /** The unstored changes, oldest first. */
    List<Unstored> unstored();

    /**
     * Tries every unstored change again, oldest first; a change whose address has an older one that still
     * fails is not tried (per address the store must see changes in journal order).
     */
    RetryOutcome retryUnstored();

    /** Gives up on one unstored change for good; empty when there is none of that sequence. */
    Optional<Unstored> discardUnstored(long sequence);
}
