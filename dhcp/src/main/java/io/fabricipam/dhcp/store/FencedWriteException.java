package io.fabricipam.dhcp.store;

/**
 * A fenced lease write was refused because a newer leader has claimed the store (see
 * {@link LeaderEpochStore}): this writer is no longer the leader, and nothing of its change was applied.
 *
 * <p>Deliberately neither an {@link IllegalArgumentException} nor an {@link IllegalStateException}: callers
 * treat those as a refusal of the change itself (the file journal sets such a change aside to retry later),
 * while this refuses the writer. It is not a passing failure either: the same write with the same epoch is
 * refused again. The database journal fails the reply (no DHCPACK leaves), and leadership code should stop
 * serving when it sees it.
 */
public final class FencedWriteException extends RuntimeException {

    private final long writerEpoch;
    private final long storedEpoch;

    public FencedWriteException(long writerEpoch, long storedEpoch, String holder) {
        super("lease write refused: this writer's leader epoch " + writerEpoch + " is older than the store's "
                + storedEpoch + (holder == null ? "" : " (claimed by " + holder + ")")
                + "; this host is no longer the leader");
        this.writerEpoch = writerEpoch;
        this.storedEpoch = storedEpoch;
    }

    /** The epoch the refused write carried. */
    public long writerEpoch() {
        return writerEpoch;
    }

    /** The epoch the store was at when it refused the write. */
    public long storedEpoch() {
        return storedEpoch;
    }
}
