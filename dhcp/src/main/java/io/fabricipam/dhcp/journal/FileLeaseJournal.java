package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.store.LeaseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * seen is replayed into it, so a crash (kill -9) loses no acknowledged lease: what was acknowledged is in
 * the file. Like H2 with WRITE_DELAY=0, and like Kea's memfile, it does not fsync by default (set
 * {@code fsync} for power-loss durability, at the cost of one fsync per batch).
 *
 * <p>Why: on H2 a durable commit costs ~1 ms of CPU for one change and ~0.1 ms per change in batches of
 * 16-32, and writes 10-20 KB per lease; the append costs a few microseconds and ~150 bytes per change,
 * and the store then takes hundreds of changes per transaction.
 *
 * <p>Threads: {@code lease-journal} (the only writer of the file) and {@code lease-store} (the only writer
 * of the store's leases). Lifecycle LATENT -> STARTED -> CLOSED; close commits what is queued, stores
 * everything it can, and stops.
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
     */
    public record Settings(Path dir, int maxBatch, Duration window, boolean fsync, long segmentBytes, int storeBatch,
            Duration storeLinger) {

        public static Settings in(Path dir) {
            return new Settings(dir, 512, Duration.ofMillis(2), false, 64L << 20, 4096, Duration.ofMillis(200));
        }
    }

    /** Changes now in the file, up to {@code last}, for the copier. */
    private record Written(List<LeaseChange> changes, long last) {
    }

    private final LeaseStore store;
    private final Settings settings;
    private final Runnable copierSetup;
    private final PendingChanges pending;
    // batches written but not yet stored; when full the writer waits (back-pressure), so memory stays bounded
    private final BlockingQueue<Written> toStore = new ArrayBlockingQueue<>(32768);
    private final Thread writer = new Thread(this::write, "lease-journal");
    private final Thread copier = new Thread(this::copy, "lease-store");
    private JournalSegments segments;
    private volatile boolean writerDone;
    private volatile long written;
    private volatile long stored;
    private volatile long commits;
    private volatile long committedChanges;

    public FileLeaseJournal(LeaseStore store, Settings settings) {
        this(store, settings, () -> { });
    }

    /**
     * @param copierSetup run first on the copier thread; the application lowers that thread's scheduling
     *                    priority with it, so that under a boot storm the copy into the database yields the CPU
     *                    to answering clients (the journal already made every change durable)
     */
    public FileLeaseJournal(LeaseStore store, Settings settings, Runnable copierSetup) {
        this.store = store;
        this.settings = settings;
        this.copierSetup = copierSetup;
        this.pending = new PendingChanges(settings.maxBatch(), settings.window());
        writer.setDaemon(true);
        copier.setDaemon(true);
    }

    @Override
    public synchronized void start() {
        pending.requireLatent();
        long position = store.journalPosition();
        segments = new JournalSegments(settings.dir(), settings.segmentBytes(), settings.fsync());
        List<LeaseChange> replay = new ArrayList<>();
        long[] replayed = {0, position};
        try {
            long last = segments.open(position, record -> {
                try {
                    replay.add(LeaseRecordCodec.decode(record.payload()));
                } catch (IOException e) {
                    throw new UncheckedIOException("lease journal record " + record.sequence() + " unreadable", e);
                }
                replayed[1] = record.sequence();
                if (replay.size() >= settings.storeBatch()) {
                    replayed[0] += storeReplay(replay, replayed[1]);
                }
            });
            if (!replay.isEmpty()) {
                replayed[0] += storeReplay(replay, replayed[1]);
            }
            written = last;
            stored = last;
            segments.deleteThrough(stored);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the lease journal in " + settings.dir(), e);
        }
        if (replayed[0] > 0) {
            log.info("lease journal: {} change(s) the store had not seen were replayed into it (up to record {})",
                    replayed[0], written);
        }
        pending.open();
        writer.start();
        copier.start();
    }

    private int storeReplay(List<LeaseChange> changes, long last) {
        int n = changes.size();
        store.apply(List.copyOf(changes), last);
        changes.clear();
        return n;
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
        List<LeaseChange> changes = new ArrayList<>();
        long sequence = segments.nextSequence();
        for (PendingChanges.Entry e : batch) {
            for (LeaseChange c : e.changes()) {
                if (c.durable()) {
                    records.add(new JournalSegments.Record(sequence++, LeaseRecordCodec.encode(c)));
                    changes.add(c);
                }
            }
        }
        try {
            if (!records.isEmpty()) {
                segments.append(records);
            }
        } catch (IOException | RuntimeException failure) {
            log.error("lease journal: {} change(s) not written; their replies are not sent", records.size(), failure);
            batch.forEach(e -> e.done().completeExceptionally(failure));
            return;
        }
        commits++;
        committedChanges += changes.size();
        if (!records.isEmpty()) {
            written = sequence - 1;
            toStore.put(new Written(changes, sequence - 1)); // blocks when the store is far behind: back-pressure
        }
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
                storeWithRetry(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void storeWithRetry(List<Written> batch) throws InterruptedException {
        List<LeaseChange> changes = new ArrayList<>();
        for (Written w : batch) {
            changes.addAll(w.changes());
        }
        long last = batch.get(batch.size() - 1).last();
        long pause = 100;
        while (true) {
            try {
                store.apply(changes, last);
                break;
            } catch (IllegalArgumentException | IllegalStateException refused) {
                storeOneByOne(changes, last); // a change the store refuses must not hold back the others
                break;
            } catch (RuntimeException down) {
                if (pending.state() != PendingChanges.State.STARTED && pause > 2000) {
                    log.warn("lease store still failing at shutdown; {} change(s) stay in the journal for the next start",
                            changes.size());
                    return;
                }
                log.warn("lease store failed ({}); retrying in {} ms, the journal keeps the changes", down.toString(), pause);
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 5000);
            }
        }
        stored = last;
        try {
            segments.deleteThrough(last);
        } catch (IOException e) {
            log.warn("old lease journal segments not deleted: {}", e.toString());
        }
    }

    private void storeOneByOne(List<LeaseChange> changes, long last) {
        for (LeaseChange c : changes) {
            try {
                store.apply(List.of(c));
            } catch (IllegalArgumentException | IllegalStateException refused) {
                log.error("the lease store refuses {}; it stays only in memory and in the journal", c, refused);
            }
        }
        store.apply(List.of(), last);
    }

    @Override
    public boolean awaitStored(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long target = written;
        while (System.nanoTime() < deadline) {
            if (pending.size() == 0 && stored >= Math.max(target, written)) {
                return true;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
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
        return written - stored;
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

    @Override
    public synchronized void close() { // waits for a start() under way
        if (pending.close() != PendingChanges.State.STARTED) {
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
        } catch (IOException e) {
            log.warn("lease journal not closed cleanly: {}", e.toString());
        }
    }
}
