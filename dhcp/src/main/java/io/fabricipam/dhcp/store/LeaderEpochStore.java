package io.fabricipam.dhcp.store;

import java.time.Instant;

/**
 * The leader epoch of a cluster that shares one lease store: a number bumped on every takeover, with the
 * host that claimed it. The new leader claims an epoch before it writes anything, and a fenced
 * {@link LeaseStore} (one constructed with its writer's epoch) refuses every change from a lower epoch with
 * {@link FencedWriteException}. ZooKeeper alone does not fence: a leader that wakes from a pause longer than
 * its session still believes it leads (Curator Tech Note 10); the store is where its late writes are stopped.
 *
 * <p>Implementations: {@link InMemoryLeaderEpochStore} for tests, {@code JdbcLeaderEpochStore} (the
 * {@code leader_epoch} table of V5) in ipam-api. The contract suite is {@code LeaderEpochContract}.
 */
public interface LeaderEpochStore {

    /**
     * The stored epoch.
     *
     * @param value     0 before the first claim, then the number of claims
     * @param hostId    the host that claimed it (null at 0)
     * @param claimedAt when (null at 0)
     */
    record Epoch(long value, String hostId, Instant claimedAt) {

        /** The epoch of a store nobody has claimed. */
        public static final Epoch NONE = new Epoch(0, null, null);
    }

    /**
     * Bumps the epoch by one and records {@code hostId} as its holder, in one transaction; returns the new
     * epoch, which the caller then writes with. When this returns, no write of a lower epoch can commit any
     * more (a write of an old leader under way either committed before the claim, or is refused).
     */
    long claim(String hostId);

    /** The stored epoch and its holder. */
    Epoch current();
}
