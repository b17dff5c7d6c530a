package io.fabricipam.dhcp.store;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A {@link LeaderEpochStore} in memory, for tests, and the fence of {@link InMemoryLeaseStore#fenced}. The same
 * locking as the database's: a fenced write checks the epoch and writes under the read lock (many writers at
 * once), a claim bumps it under the write lock, so a claim waits for the writes under way and every write
 * that starts after it sees the new epoch.
 */
public final class InMemoryLeaderEpochStore implements LeaderEpochStore {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Clock clock;
    private Epoch epoch = Epoch.NONE; // guarded by lock

    public InMemoryLeaderEpochStore() {
        this(Clock.systemUTC());
    }

    public InMemoryLeaderEpochStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public long claim(String hostId) {
        requireHost(hostId);
        lock.writeLock().lock();
        try {
            epoch = new Epoch(epoch.value() + 1, hostId, clock.instant());
            return epoch.value();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Epoch current() {
        lock.readLock().lock();
        try {
            return epoch;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs {@code write} if the stored epoch is not higher than {@code writerEpoch}, holding off claims until it
     * returns; throws {@link FencedWriteException}, running nothing, otherwise.
     */
    <T> T whileCurrent(long writerEpoch, Supplier<T> write) {
        lock.readLock().lock();
        try {
            if (epoch.value() > writerEpoch) {
                throw new FencedWriteException(writerEpoch, epoch.value(), epoch.hostId());
            }
            return write.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    static void requireHost(String hostId) {
        if (hostId == null || hostId.isBlank()) {
            throw new IllegalArgumentException("a leader epoch is claimed by a host: its id must not be blank");
        }
    }
}
