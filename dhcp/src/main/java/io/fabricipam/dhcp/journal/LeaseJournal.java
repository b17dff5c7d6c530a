package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.store.LeaseChange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where lease changes become durable before the replies that depend on them leave. Callers append under
 * their scope lock, so per address the order of the journal is the order of decisions.
 *
 * <p>Two mechanisms: {@link FileLeaseJournal} (the default) appends to a file, one write per batch, as Kea's
 * memfile does, and copies into the lease store in the background; {@link StoreLeaseJournal} commits into
 * the store itself (for a store shared by a cluster, where a local file would be lost with its host).
 *
 * <p>Lifecycle, as Curator's recipes: LATENT -> {@link #start()} -> STARTED -> {@link #close()} -> CLOSED.
 */
public interface LeaseJournal extends JournalService, AutoCloseable {

    /**
     * Makes the journal usable. A file journal first reads what the store has not seen yet (unless
     * {@link #recover()} did): it keeps that in memory ({@link #recovered()}) and copies it into the store in
     * the background.
     */
    void start();

    /**
     * The first part of {@link #start()}, for a caller that loads the leases in between: checks the journal
     * and reads back what the store has not seen, without accepting appends or writing the store yet, and
     * returns {@link #recovered()}. Then load, then {@link #start()}: the copy into the store does not compete
     * with the load. A journal that writes the store itself has nothing to recover.
     */
    default List<LeaseChange> recover() {
        return List.of();
    }

    /**
     * The acknowledged changes the store did not have when the journal started, in journal order, until the
     * store has them: whoever loads the leases from the store at start applies these on top (each replaces
     * its address's row), so that every acknowledged lease is known before the first answer without waiting
     * for the store. Read it <em>before</em> reading the store: the copy may finish in between, and then both
     * hold the same rows. Empty for a journal that writes the store itself, and once the copy is done.
     */
    default List<LeaseChange> recovered() {
        return List.of();
    }

    /** The future completes when the durable changes are committed, exceptionally when they cannot be. */
    CompletableFuture<Void> append(List<LeaseChange> changes);

    /**
     * Waits until every change appended before the call is settled in the lease store: stored, or known
     * never to be (its reply failed; or, in the file journal, set aside as unstored or dropped because its
     * scope was deleted), for reads of the store that must see them (history) or before deleting a scope's
     * leases. Waits on a condition the store writer signals. Returns false on timeout.
     */
    boolean awaitStored(Duration timeout);

    boolean isRunning();

    /** Changes waiting to be committed. */
    int backlog();

    /** Changes committed but not yet in the store (always 0 for a store journal). */
    long storeBacklog();

    long commits();

    long committedChanges();

    @Override
    void close();
}
