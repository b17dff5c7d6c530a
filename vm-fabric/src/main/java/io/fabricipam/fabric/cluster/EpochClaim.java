package io.fabricipam.fabric.cluster;

/**
 * Claims a new leader epoch in the shared store when this host is elected (the database implements it: it
 * bumps the epoch in the same transaction that records the claim). Every lease write then carries the epoch
 * and the store refuses writes from a lower one, so a paused or partitioned former leader cannot overwrite
 * what the new one decided: ZooKeeper alone does not fence (Curator Tech Note 10).
 *
 * <p>It runs on the leadership's own claim thread, never on a ZooKeeper thread; it should give up within about
 * the session timeout (throw), because until it returns nobody answers DHCP.
 */
@FunctionalInterface
public interface EpochClaim {

    /** No shared store (one host, or tests): every claim gets epoch 0. */
    EpochClaim NONE = hostId -> 0;

    /**
     * @param hostId  the host taking over
     * @return the epoch it now leads with (>= 0, higher than any earlier claim)
     * @throws Exception when the claim could not be made: the host gives leadership back
     */
    long claim(String hostId) throws Exception;
}
