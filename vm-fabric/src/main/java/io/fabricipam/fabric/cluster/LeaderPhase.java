package io.fabricipam.fabric.cluster;

/**
 * Where this host stands in the election (transitions: {@link LeaderStateMachine}). Only {@link #LEADING}
 * answers DHCP.
 */
public enum LeaderPhase {
    /** Another host leads, or nobody yet; this host is in the election. */
    FOLLOWER,
    /** The latch chose this host; the epoch claim in the database is running. Not answering yet. */
    CLAIMING,
    /** This host leads with the epoch it claimed. */
    LEADING,
    /** The ZooKeeper connection is suspended or the session lost: this host may no longer lead. */
    SUSPENDED,
    /** Closed; terminal. */
    CLOSED
}
