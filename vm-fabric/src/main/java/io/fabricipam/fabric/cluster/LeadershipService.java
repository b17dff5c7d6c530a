package io.fabricipam.fabric.cluster;

import java.io.Closeable;

/**
 * Whether this host leads the fabric, the contract the controller uses: {@link Leadership} on ZooKeeper in
 * cluster mode, {@link StaticLeadership} (always leading, epoch 0) for a single host.
 *
 * <p>Lifecycle ({@link Lifecycle}): LATENT -> {@link #start()} -> STARTED -> {@link #close()} -> CLOSED.
 * DHCP is answered only while {@link #status()} is LEADING.
 */
public interface LeadershipService extends Closeable {

    void start();

    /** This host's role now. */
    LeaderStatus status();

    default boolean isLeading() {
        return status().isLeading();
    }

    /** Who leads the fabric (this host or another). */
    LeaderView currentLeader();

    /** This host's id. */
    String hostId();

    void addListener(LeadershipListener listener);

    void removeListener(LeadershipListener listener);

    /** Leaves the election; listeners hear CLOSED. */
    @Override
    void close();
}
