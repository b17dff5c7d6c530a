package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease changes made durable as Kea's memfile does: appended to a file, one write per batch, before their
 * replies leave; the lease store (H2, PostgreSQL) is brought up to date from the journal in the background,
 * in large batches, recording in the same transaction how far it got. At start whatever the store has not
 * seen is read back ({@link #recovered()}: the lease load applies it on top of the store) and copied into the
 * store in the background, so a crash (kill -9) loses no acknowledged lease, and the first answer after it
 * does not wait for the store: what was acknowledged is in the file. Like H2 with WRITE_DELAY=0, and like Kea's memfile, it does not fsync by default (set
 * {@code fsync} for power-loss durability, at the cost of one fsync per batch).
 *
 * <p>The journal belongs to one database ({@link JournalIdentity}: an identifier in the directory's
 * {@code IDENTITY} file and in the database; a mismatch refuses the start). A change the store refuses is
 * never skipped: {@link StoreCopy} keeps it in the dead-letter file {@code unstored.journal} before the
 * position moves past it, where an operator sees, retries or discards it ({@link JournalService}); it is
 * also retried at every start. A change of a scope deleted meanwhile is dropped (its event kept), logged
 * and counted: it belongs to nothing, and the administrator who deleted the scope asked for that.
 *
 * <p>Why: on H2 a durable commit costs ~1 ms of CPU for one change and ~0.1 ms per change in batches of
 * 16-32, and writes 10-20 KB per lease; the append costs a few microseconds and ~150 bytes per change,
 * and the store then takes hundreds of changes per transaction.
 *
 * <p>Threads: {@code lease-journal} (the only writer of the file) and {@code lease-store} (the writer of
 * the store's leases, with an operator's retry: see {@link StoreCopy}). Lifecycle LATENT -> STARTED ->
 * CLOSED; close commits what is queued, stores everything it can, and stops.
 */
public final class FileLeaseJournal implements LeaseJournal {

    private static final Logger log = LoggerFactory.getLogger(FileLeaseJournal.class);

    /**
     * @param dir          where the segment files live
     * @param maxBatch     most changes in one append
     * @param window       under load, how long an append waits for more changes
     * @param fsync        fsync after every append (survives power loss, not only process crashes)
     * @param segmentBytes size after which a new segment file is started
     * @param storeBatch   most changes copied into the store in one transaction
     * @param storeLinger  how long the copier waits to fill a store transaction
     * @param database     how messages name the store the journal feeds (its URL)
     */
    public record Settings(Path dir, int maxBatch, Duration window, boolean fsync, long segmentBytes, int storeBatch,
            Duration storeLinger, String database) {

        public Settings(Path dir, int maxBatch, Duration window, boolean fsync, long segmentBytes, int storeBatch,
                Duration storeLinger) {
            this(dir, maxBatch, window, fsync, segmentBytes, storeBatch, storeLinger, "the lease store");
        }

        public static Settings in(Path dir) {
            return new Settings(dir, 512, Duration.ofMillis(2), false, 64L << 20, 4096, Duration.ofMillis(200));
        }

        public Settings withDatabase(String name) {
            return new Settings(dir, maxBatch, window, fsync, segmentBytes, storeBatch, storeLinger, name);
        }
    }

    /**
     * Most changes read back at start that stay in memory for the background copy; beyond that the oldest are
     * stored before the start goes on (a store far behind its journal, as after a long outage of the
     * database: memory stays bounded, ~300 bytes per change).
     */
    static final int RECOVERED_IN_MEMORY = 65_536;
    /** The copier's queue holds the replay in at most this many transactions, whatever the store batch. */
    private static final int MAX_REPLAY_CHUNKS = 64;

    /** Changes now in the file, up to {@code last}, for the copier, and the last ticket they settle. */
    private record Written(List<StoreCopy.Sequenced> changes, long last, long ticket) {
    }

    private final LeaseStore store;
    private final Settings settings;
    private final Runnable copierSetup;
    private final PendingChanges pending;
    private final StoreProgress progress = new StoreProgress();
    private final DeadLetters deadLetters;
    private final StoreCopy copy;
    // batches written but not yet stored; when full the writer waits (back-pressure), so memory stays bounded
    private final BlockingQueue<Written> toStore = new ArrayBlockingQueue<>(32768);
    private final Thread writer = new Thread(this::write, "lease-journal");
    private final Thread copier = new Thread(this::copy, "lease-store");
    private JournalSegments segments;
    private volatile boolean writerDone;
    private volatile long written;
    private volatile long commits;
    private volatile long committedChanges;
    private volatile List<LeaseChange> recovered = List.of();
    private long recoveredTicket; // settled when the copier has stored what was recovered

    public FileLeaseJournal(LeaseStore store, Settings settings) {
        this(store, settings, () -> { }, Clock.systemUTC());
    }

    /** As {@link #FileLeaseJournal(LeaseStore, Settings, Runnable, Clock)} on the system clock. */
    public FileLeaseJournal(LeaseStore store, Settings settings, Runnable copierSetup) {
        this(store, settings, copierSetup, Clock.systemUTC());
    }

    /**
     * @param copierSetup run first on the copier thread; the application lowers that thread's scheduling
     *                    priority with it, so that under a boot storm the copy into the database yields the CPU
     *                    to answering clients (the journal already made every change durable)
     * @param clock       when refused changes were set aside
     */
    public FileLeaseJournal(LeaseStore store, Settings settings, Runnable copierSetup, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.copierSetup = copierSetup;
        this.pending = new PendingChanges(settings.maxBatch(), settings.window());
        this.deadLetters = new DeadLetters(settings.dir());
        this.copy = new StoreCopy(store, deadLetters, clock);
        writer.setDaemon(true);
        copier.setDaemon(true);
    }

    /**
     * Checks that the directory and the store belong together (binding a new pair), retries the unstored
     * changes once, and reads back what the store has not seen ({@link #recovered()}), without starting
     * anything: appends are refused and the store is not written until {@link #start()}. A caller that loads
     * leases from the store calls this first, loads, then starts, so that the copy into the store does not
     * compete with the load. Once; later calls return what the first read.
     *
     * @throws IllegalStateException when the journal directory belongs to another database (the message
     *                               names both and what to do), or the journal is damaged
     */
    @Override
    public synchronized List<LeaseChange> recover() {
        pending.requireLatent();
        if (segments != null) {
            return recovered;
        }
        Path dir = settings.dir();
        segments = new JournalSegments(dir, settings.segmentBytes(), settings.fsync());
        long last;
        try {
            JournalFiles.createDirectory(dir);
            deadLetters.load();
            JournalSegments.Layout layout = JournalSegments.inspect(dir);
            JournalIdentity.bind(dir, store, layout, layout.hasRecords() || !deadLetters.isEmpty(), settings.database());
            long position = store.journalPosition();
            copy.startAt(position);
            if (!deadLetters.isEmpty()) {
                log.warn("lease journal: {} acknowledged change(s) the store refused before; retrying them",
                        deadLetters.count());
                copy.retry();
            }
            last = replay(position);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open the lease journal in " + dir.toAbsolutePath(), io);
            }
            throw (RuntimeException) e;
        }
        written = last;
        try {
            segments.deleteThrough(copy.position());
        } catch (IOException e) {
            log.warn("old lease journal segments not deleted: {}", e.toString());
        }
        return recovered;
    }

    /** {@link #recover()} unless done, then the writer and the copier (which begins with what was recovered). */
    @Override
    public synchronized void start() {
        recover();
        pending.open();
        writer.start();
        copier.start();
    }

    /**
     * Reads back the records after {@code position} (what the store has not seen) and hands them to the copier,
     * keeping them in {@link #recovered()} until it has stored them; a backlog beyond {@link #RECOVERED_IN_MEMORY}
     * is stored at once, oldest first. Returns the last record of the journal.
     */
    private long replay(long position) throws IOException {
        List<StoreCopy.Sequenced> tail = new ArrayList<>();
        long[] storedNow = {0};
        long last = segments.open(position, record -> {
            try {
                tail.add(new StoreCopy.Sequenced(record.sequence(), LeaseRecordCodec.decode(record.payload())));
            } catch (IOException e) {
                throw new UncheckedIOException("lease journal record " + record.sequence() + " unreadable", e);
            }
            if (tail.size() >= RECOVERED_IN_MEMORY + settings.storeBatch()) {
                List<StoreCopy.Sequenced> oldest = tail.subList(0, settings.storeBatch());
                copy.store(new ArrayList<>(oldest), oldest.get(oldest.size() - 1).sequence());
                storedNow[0] += oldest.size();
                oldest.clear();
            }
        });
        if (storedNow[0] > 0) {
            log.info("lease journal: {} change(s) the store had not seen were stored before the start went on",
                    storedNow[0]);
        }
        if (!tail.isEmpty()) {
            recoveredTicket = pending.reserve();
            int chunkSize = Math.max(settings.storeBatch(), tail.size() / MAX_REPLAY_CHUNKS + 1);
            for (int from = 0; from < tail.size(); from += chunkSize) {
                List<StoreCopy.Sequenced> chunk = List.copyOf(tail.subList(from, Math.min(tail.size(), from + chunkSize)));
                boolean lastChunk = from + chunk.size() == tail.size();
                // one ticket for the whole replay, settled with its last chunk
                toStore.add(new Written(chunk, chunk.get(chunk.size() - 1).sequence(), lastChunk ? recoveredTicket : 0));
            }
            recovered = tail.stream().map(StoreCopy.Sequenced::change).toList();
            log.info("lease journal: {} change(s) the store had not seen (records {} to {}) are served from memory and"
                    + " copied into the store in the background", tail.size(), tail.get(0).sequence(), last);
        }
        return last;
    }

    @Override
    public List<LeaseChange> recovered() {
        return recovered;
    }

    @Override
    public CompletableFuture<Void> append(List<LeaseChange> changes) {
        return pending.append(changes);
    }

    private void write() {
        try {
            pending.drain(this::writeBatch);
        } finally {
            writerDone = true;
        }
    }

    private void writeBatch(List<PendingChanges.Entry> batch) throws InterruptedException {
        List<JournalSegments.Record> records = new ArrayList<>();
        List<StoreCopy.Sequenced> changes = new ArrayList<>();
        long sequence = segments.nextSequence();
        for (PendingChanges.Entry e : batch) {
            for (LeaseChange c : e.changes()) {
                if (c.durable()) {
                    records.add(new JournalSegments.Record(sequence, LeaseRecordCodec.encode(c)));
                    changes.add(new StoreCopy.Sequenced(sequence++, c));
                }
            }
        }
        long ticket = batch.get(batch.size() - 1).ticket();
        try {
            if (!records.isEmpty()) {
                segments.append(records);
            }
        } catch (IOException | RuntimeException failure) {
            log.error("lease journal: {} change(s) not written; their replies are not sent", records.size(), failure);
            batch.forEach(e -> e.done().completeExceptionally(failure));
            toStore.put(new Written(List.of(), -1, ticket)); // nothing to store; settled in order by the copier
            return;
        }
        commits++;
        committedChanges += changes.size();
        if (!records.isEmpty()) {
            written = sequence - 1;
        }
        toStore.put(new Written(changes, records.isEmpty() ? -1 : sequence - 1, ticket)); // blocks when far behind
        batch.forEach(e -> e.done().complete(null));
    }

    /** Copies written changes into the store in large transactions, retrying while the store is down. */
    private void copy() {
        try {
            copierSetup.run();
        } catch (RuntimeException e) {
            log.warn("lease store copier runs at normal priority: {}", e.toString());
        }
        List<Written> batch = new ArrayList<>();
        try {
            while (!(writerDone && toStore.isEmpty())) {
                Written first = toStore.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int size = first.changes().size();
                long deadline = System.nanoTime() + settings.storeLinger().toNanos();
                while (size < settings.storeBatch() && pending.state() == PendingChanges.State.STARTED) {
                    long left = deadline - System.nanoTime();
                    Written next = left > 0 ? toStore.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    size += next.changes().size();
                }
                if (!storeWithRetry(batch)) {
                    return;
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns false when it gives up (the store still failing at shutdown; the journal keeps the changes). */
    private boolean storeWithRetry(List<Written> batch) throws InterruptedException {
        List<StoreCopy.Sequenced> changes = new ArrayList<>();
        long last = -1;
        for (Written w : batch) {
            changes.addAll(w.changes());
            last = Math.max(last, w.last());
        }
        long pause = 100;
        while (last >= 0) {
            try {
                copy.store(changes, last);
                break;
            } catch (RuntimeException down) {
                if (pending.state() != PendingChanges.State.STARTED && pause > 2000) {
                    log.warn("lease store still failing at shutdown; {} change(s) stay in the journal for the next start",
                            changes.size());
                    return false;
                }
                log.warn("lease store failed ({}); retrying in {} ms, the journal keeps the changes", down.toString(), pause);
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 5000);
            }
        }
        if (last >= 0) {
            try {
                segments.deleteThrough(last);
            } catch (IOException e) {
                log.warn("old lease journal segments not deleted: {}", e.toString());
            }
        }
        long settled = batch.get(batch.size() - 1).ticket();
        if (recoveredTicket > 0 && settled >= recoveredTicket && !recovered.isEmpty()) {
            recovered = List.of(); // the store has them now
        }
        progress.settle(settled); // last: a waiter sees the journal as it will stay
        return true;
    }

    /**
     * Waits until every change appended before the call is stored, set aside as unstored, or dropped (its
     * scope deleted), or failed to be written (its reply not sent); woken by the copier, no polling.
     */
    @Override
    public boolean awaitStored(Duration timeout) {
        return progress.awaitSettled(pending.appended(), timeout);
    }

    @Override
    public boolean isRunning() {
        return pending.state() == PendingChanges.State.STARTED && writer.isAlive() && copier.isAlive();
    }

    @Override
    public int backlog() {
        return pending.size();
    }

    @Override
    public long storeBacklog() {
        return Math.max(0, written - copy.position());
    }

    @Override
    public long commits() {
        return commits;
    }

    @Override
    public long committedChanges() {
        return committedChanges;
    }

    /** Segment files on disk (for health and tests). */
    public int segmentCount() {
        return segments == null ? 0 : segments.segmentCount();
    }

    /** Appends forced to disk (fsync) so far: one per written batch with {@code fsync}, else 0. */
    public long fsyncs() {
        return segments == null ? 0 : segments.fsyncs();
    }

    @Override
    public Status status() {
        return new Status("file", settings.dir().toAbsolutePath().toString(), written, copy.position(), backlog(),
                storeBacklog(), segmentCount(), deadLetters.count(), copy.dropped());
    }

    @Override
    public List<Unstored> unstored() {
        return deadLetters.all();
    }

    @Override
    public RetryOutcome retryUnstored() {
        requireStarted();
        return copy.retry();
    }

    @Override
    public Optional<Unstored> discardUnstored(long sequence) {
        requireStarted();
        return copy.discard(sequence);
    }

    private void requireStarted() {
        if (pending.state() != PendingChanges.State.STARTED) {
            throw new IllegalStateException("lease journal is " + pending.state());
        }
    }

    private void closeQuietly() {
        try {
            segments.close();
            deadLetters.close();
        } catch (IOException e) {
            log.debug("closing a journal that did not start: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() { // waits for a start() under way
        PendingChanges.State was = pending.close();
        if (was != PendingChanges.State.STARTED) {
            if (was == PendingChanges.State.LATENT && segments != null) {
                closeQuietly(); // recovered, never started
            }
            return; // never started, or closed before
        }
        try {
            writer.join(10_000);
            copier.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            segments.close();
            deadLetters.close();
        } catch (IOException e) {
            log.warn("lease journal not closed cleanly: {}", e.toString());
        }
    }
}
