package io.fabricipam.fabric.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership of the fabric on ZooKeeper: one Curator {@link LeaderLatch} on {@code <base>/leader} with this host's
 * id, an {@link EpochClaim} before leading, and the role as a {@link LeaderStateMachine}.
 *
 * <h2>Becoming leader</h2>
 * When the latch chooses this host the status becomes CLAIMING (not answering), the claim runs on this
 * object's claim thread, and only when it returns an epoch do listeners hear LEADING(epoch); the epoch is then
 * published in this host's membership node ({@link HostMembership#publishLeaderEpoch}), where every host reads
 * it for {@link #currentLeader()}: it vanishes with the leader's session, so no stale epoch node outlives a
 * leader. If the claim throws, this host gives the leadership back: it closes its latch (another host is
 * elected) and joins again with a new latch after a back-off that doubles with each failure in a row, up to a
 * bound.
 *
 * <h2>Losing it, before anyone else can win</h2>
 * The client runs under Curator's default {@code StandardConnectionStateErrorPolicy}, so the latch itself
 * drops leadership on SUSPENDED, not only on LOST; this class also listens to the connection and, on SUSPENDED
 * or LOST, moves to SUSPENDED. Both listeners run on Curator's connection-state thread, one after the other in
 * no fixed order, and whichever runs first tells this class's listeners synchronously that this host no longer
 * leads (LEADING -> FOLLOWER from the latch, or LEADING -> SUSPENDED), before that thread handles anything
 * else. So the DHCP side stops answering before another host can be elected: the ZooKeeper client declares the connection lost (Curator's SUSPENDED) when it has heard nothing
 * from its server for two thirds of the session timeout (its read timeout; it pings every third), while the
 * servers expire the session, delete its latch node and let another host win only when they have heard
 * nothing from the client for the whole session timeout. Both clocks start at about the same moment (the last
 * exchange between client and server), so the old leader stops with a third of the session timeout to spare
 * (1.3 s at the default 4 s), minus a round trip ({@code ClusterPartitionIT} measures it: stopped after 2.8 s,
 * the next leader after 4.1 s). When only the leader's server fails and the others are reachable, the client
 * moves to another server within the same session; the leader still steps down on SUSPENDED and claims a new
 * epoch when the latch confirms it (about 0.2-0.6 s without a leader). A pause of this JVM longer than that margin defeats any
 * client-side rule: the epoch in the store is what fences such a leader.
 *
 * <p>On RECONNECTED (same session) the latch rechecks its node; if it still leads this host claims a new epoch.
 *
 * <p>Lifecycle ({@link Lifecycle}): LATENT, {@link #start()} -> STARTED, {@link #close()} -> CLOSED (listeners
 * hear CLOSED first, then the latch is closed so that another host can take over). The Curator client and
 * the membership are the caller's: started before, closed after.
 */
public final class Leadership implements LeadershipService {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /** The first back-off after a failed claim: long enough for another host's latch to win meanwhile. */
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    /** The bound of the doubling: a host whose store is down retries about every 8 s. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private final CuratorFramework client;
    private final ClusterSettings settings;
    private final HostMembership membership;
    private final EpochClaim epochClaim;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.LATENT);
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService claimThread;
    /** Guards the machine, so that transitions and the notifications they cause happen one at a time, in order. */
    private final Object lock = new Object();
    private final LeaderStateMachine machine;
    private final ConnectionStateListener connectionListener = (ignored, state) -> connectionChanged(state);
    private volatile LeaderLatch latch;
    private volatile LeaderStatus status = LeaderStatus.FOLLOWER;

    public Leadership(CuratorFramework client, ClusterSettings settings, HostMembership membership,
                      EpochClaim epochClaim) {
        this(client, settings, membership, epochClaim, FIRST_BACKOFF, MAX_BACKOFF);
    }

    public Leadership(CuratorFramework client, ClusterSettings settings, HostMembership membership,
                      EpochClaim epochClaim, Duration firstBackoff, Duration maxBackoff) {
        this.client = client;
        this.settings = settings;
        this.membership = membership;
        this.epochClaim = epochClaim;
        this.machine = new LeaderStateMachine(firstBackoff, maxBackoff);
        this.claimThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, "leadership-" + settings.hostId());
            named.setDaemon(true);
            return named;
        });
    }

    /** Joins the election: LATENT -> STARTED. */
    @Override
    public void start() {
        if (!lifecycle.compareAndSet(Lifecycle.LATENT, Lifecycle.STARTED)) {
            throw new IllegalStateException("leadership of " + settings.hostId() + " is " + lifecycle.get()
                    + "; it starts once");
        }
        // before the latch: a suspension seen by the latch is seen here too
        client.getConnectionStateListenable().addListener(connectionListener);
        joinElection();
    }

    @Override
    public LeaderStatus status() {
        return status;
    }

    @Override
    public String hostId() {
        return settings.hostId();
    }

    public Lifecycle lifecycle() {
        return lifecycle.get();
    }

    /** How many claims failed in a row. */
    public int failedClaims() {
        synchronized (lock) {
            return machine.failedClaims();
        }
    }

    /**
     * The leader according to the latch's nodes in ZooKeeper (a read that waits up to the connection timeout
     * when disconnected, then gives {@link LeaderView#UNKNOWN}); its epoch from its membership record, or this
     * host's own while it leads.
     */
    @Override
    public LeaderView currentLeader() {
        LeaderLatch current = latch;
        if (current == null || lifecycle.get() != Lifecycle.STARTED) {
            return LeaderView.UNKNOWN;
        }
        Participant leader;
        try {
            leader = current.getLeader();
        } catch (Exception e) {
            log.debug("leader of {} unknown: {}", settings.leaderPath(), e.toString());
            return LeaderView.UNKNOWN;
        }
        if (leader.getId() == null || leader.getId().isEmpty()) {
            return LeaderView.UNKNOWN;
        }
        LeaderStatus own = status;
        if (leader.getId().equals(settings.hostId()) && own.isLeading()) {
            return LeaderView.of(leader.getId(), own.leadingEpoch());
        }
        OptionalLong epoch = membership.membership().host(leader.getId())
                .map(Member::leaderEpoch).orElse(OptionalLong.empty());
        return LeaderView.of(leader.getId(), epoch);
    }

    @Override
    public void addListener(LeadershipListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(LeadershipListener listener) {
        listeners.remove(listener);
    }

    /** Stops answering (listeners hear CLOSED), then leaves the election: -> CLOSED. */
    @Override
    public void close() {
        Lifecycle before = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (before == Lifecycle.CLOSED) {
            return;
        }
        transition(machine::close);
        claimThread.shutdownNow();
        if (before == Lifecycle.STARTED) {
            client.getConnectionStateListenable().removeListener(connectionListener);
            leaveElection();
        }
    }

    private void connectionChanged(ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> transition(machine::connectionInterrupted);
            case RECONNECTED -> transition(machine::reconnected);
            default -> {
                // CONNECTED comes once before the latch exists; READ_ONLY is not an error under the standard policy
            }
        }
    }

    /**
     * Feeds one event to the machine and carries out what it says, under {@link #lock}: listeners hear every
     * change synchronously, on the thread of the event, in order.
     */
    private void transition(Supplier<LeaderStateMachine.Step> event) {
        synchronized (lock) {
            if (lifecycle.get() == Lifecycle.CLOSED && status.phase() == LeaderPhase.CLOSED) {
                return;
            }
            LeaderStateMachine.Step step = event.get();
            if (step.changed()) {
                status = step.after();
                log.info("{}: {} -> {}", settings.hostId(), step.before(), step.after());
                for (LeadershipListener listener : listeners) {
                    try {
                        listener.leadershipChanged(step.before(), step.after());
                    } catch (RuntimeException e) {
                        log.warn("leadership listener {} failed", listener, e);
                    }
                }
                if (step.before().isLeading() != step.after().isLeading()) {
                    membership.publishLeaderEpoch(step.after().leadingEpoch());
                }
            }
            switch (step.action()) {
                case CLAIM -> onClaimThread(() -> claim(step.ticket()), Duration.ZERO);
                case GIVE_BACK -> onClaimThread(this::leaveElection, Duration.ZERO);
                case NONE -> { }
            }
            if (step.action() == LeaderStateMachine.Action.GIVE_BACK) {
                log.warn("{} gave the leadership back after {} failed claim(s); rejoining in {} ms",
                        settings.hostId(), machine.failedClaims(), step.backoff().toMillis());
                onClaimThread(this::joinElection, step.backoff());
            }
        }
    }

    private void claim(long ticket) {
        long epoch;
        try {
            epoch = epochClaim.claim(settings.hostId());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("{} could not claim a leader epoch: {}", settings.hostId(), e.toString());
            transition(() -> machine.claimFailed(ticket));
            return;
        }
        transition(() -> machine.claimSucceeded(ticket, epoch));
    }

    /** A new latch each time: a closed LeaderLatch cannot be started again. */
    private void joinElection() {
        if (lifecycle.get() != Lifecycle.STARTED) {
            return;
        }
        LeaderLatch fresh = new LeaderLatch(client, settings.leaderPath(), settings.hostId(),
                LeaderLatch.CloseMode.SILENT);
        fresh.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                if (latch == fresh) {
                    transition(machine::latchAcquired);
                }
            }

            @Override
            public void notLeader() {
                if (latch == fresh) {
                    transition(machine::latchReleased);
                }
            }
        });
        latch = fresh;
        try {
            fresh.start();
        } catch (Exception e) {
            // start() only fails when called twice; this latch is new
            throw new IllegalStateException("could not start the leader latch", e);
        }
    }

    private void leaveElection() {
        LeaderLatch current = latch;
        if (current == null || current.getState() != LeaderLatch.State.STARTED) {
            return;
        }
        try {
            current.close(); // SILENT: this machine already knows it no longer leads
        } catch (IOException | RuntimeException e) {
            log.warn("closing the leader latch of {} failed: {}", settings.hostId(), e.toString());
        }
    }

    private void onClaimThread(Runnable task, Duration delay) {
        try {
            claimThread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // closing: nothing to claim or rejoin any more
        }
    }
}
