package io.fabricipam.fabric.cluster;

/**
 * Told when this host's {@link LeaderStatus} changes. Called synchronously on the thread that saw the change
 * (for a suspended connection: Curator's connection-state thread, before it handles anything else), one call
 * at a time and in order; it must return quickly (flip a flag, queue work) and must not call back into
 * ZooKeeper.
 */
@FunctionalInterface
public interface LeadershipListener {
    void leadershipChanged(LeaderStatus before, LeaderStatus after);
}
