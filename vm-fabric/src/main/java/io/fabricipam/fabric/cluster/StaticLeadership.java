package io.fabricipam.fabric.cluster;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A single host without ZooKeeper: it leads itself from {@link #start()} to {@link #close()} with epoch 0, so
 * the controller needs no branch for the one-host case. LATENT reports FOLLOWER (nothing answers before the
 * start), STARTED reports LEADING(0), CLOSED reports CLOSED.
 */
public final class StaticLeadership implements LeadershipService {

    /** The epoch of a host that is its own leader: the store needs no fencing there. */
    public static final long EPOCH = 0;

    private final String hostId;
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private LeaderStatus status = LeaderStatus.FOLLOWER;

    public StaticLeadership(String hostId) {
        this.hostId = hostId;
    }

    @Override
    public void start() {
        LeaderStatus before;
        synchronized (this) {
            if (status.phase() != LeaderPhase.FOLLOWER) {
                throw new IllegalStateException("static leadership is " + status + "; it starts once");
            }
            before = status;
            status = LeaderStatus.leading(EPOCH);
            listeners.forEach(listener -> listener.leadershipChanged(before, status));
        }
    }

    @Override
    public synchronized LeaderStatus status() {
        return status;
    }

    @Override
    public LeaderView currentLeader() {
        return isLeading() ? LeaderView.of(hostId, OptionalLong.of(EPOCH)) : LeaderView.UNKNOWN;
    }

    @Override
    public String hostId() {
        return hostId;
    }

    @Override
    public void addListener(LeadershipListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(LeadershipListener listener) {
        listeners.remove(listener);
    }

    @Override
    public synchronized void close() {
        if (status.phase() != LeaderPhase.CLOSED) {
            LeaderStatus before = status;
            status = LeaderStatus.CLOSED;
            listeners.forEach(listener -> listener.leadershipChanged(before, status));
        }
    }
}
