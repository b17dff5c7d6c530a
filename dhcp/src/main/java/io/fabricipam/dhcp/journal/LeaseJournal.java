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

    /** Makes the journal usable; for a file journal first replays into the store what it has not seen. */
    void start();

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
