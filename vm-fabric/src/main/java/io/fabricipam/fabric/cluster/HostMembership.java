package io.fabricipam.fabric.cluster;

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's membership in the fabric, and its view of every other host.
 *
 * <p>It registers this host as the EPHEMERAL node {@code <base>/hosts/<hostId>} holding a {@link HostRecord}
 * (Curator's {@link PersistentNode} recreates the node after a session loss, with the latest data), rewrites
 * the record's heartbeat every {@link ClusterSettings#heartbeatInterval()}, and watches {@code <base>/hosts}
 * with a {@link CuratorCache}. Listeners get an immutable {@link Membership} after every change: the hosts UP
 * (their nodes exist) and the hosts LOST (their node vanished), remembered in memory since this host saw them
 * vanish, at most {@link ClusterSettings#lostHostsKept()} of them (the oldest loss is forgotten first).
 *
 * <p>Lifecycle ({@link Lifecycle}): LATENT after construction; {@link #start()} registers and watches
 * (STARTED); {@link #close()} deletes the node, stops watching and heartbeating (CLOSED). The Curator client
 * is the caller's: started before {@link #start()}, closed after {@link #close()}.
 *
 * <p>Threads: heartbeats, record changes and cache events all run on one thread of this object, so the record
 * has a single writer and listeners see snapshots in order.
 *
 * <p>Late writes: Curator retries a background write that met a lost connection once it is back, possibly after
 * the node was recreated with newer data. Every write is stamped with a later heartbeat time, and a record older
 * than the one already seen for the same host run ({@code started-at}) is ignored; what ZooKeeper itself holds
 * is current again at the next heartbeat. (A host whose wall clock steps back is ignored until it catches up.)
 */
public final class HostMembership implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(HostMembership.class);

    private final CuratorFramework client;
    private final ClusterSettings settings;
    private final Clock clock;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.LATENT);
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService thread;
    private final PersistentNode node;
    private final CuratorCache cache;
    /** Touched only on {@link #thread}. */
    private HostRecord record;
    private final Map<String, Member> upHosts = new HashMap<>();
    private final LinkedHashMap<String, Member> lostHosts = new LinkedHashMap<>();
    /** Node paths whose data could not be read, so each is logged once. */
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();
    private volatile Membership membership = Membership.EMPTY;

    public HostMembership(CuratorFramework client, ClusterSettings settings, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.record = HostRecord.starting(settings, clock.instant());
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, "membership-" + settings.hostId());
            named.setDaemon(true);
            return named;
        });
        // parent containers: <base>/hosts appears with the first host and ZooKeeper may remove it when empty
        this.node = new PersistentNode(client, CreateMode.EPHEMERAL, false, settings.hostPath(),
                HostRecordCodec.encode(record), true);
        this.cache = CuratorCache.build(client, settings.hostsPath());
    }

    /** Registers this host and starts watching the others: LATENT -> STARTED. */
    public void start() {
        if (!lifecycle.compareAndSet(Lifecycle.LATENT, Lifecycle.STARTED)) {
            throw new IllegalStateException("membership of " + settings.hostId() + " is " + lifecycle.get()
                    + "; it starts once");
        }
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> hostWritten(after))
                .forDeletes(this::hostVanished)
                .build(), thread);
        node.start();
        cache.start();
        long period = settings.heartbeatInterval().toMillis();
        thread.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    }

    /** Waits until this host's node was first created; false if {@code timeout} passed first. */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        return node.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The latest snapshot (empty before the cache has seen anything). */
    public Membership membership() {
        return membership;
    }

    public ClusterSettings settings() {
        return settings;
    }

    public Lifecycle lifecycle() {
        return lifecycle.get();
    }

    public void addListener(MembershipListener listener) {
        listeners.add(listener);
    }

    public void removeListener(MembershipListener listener) {
        listeners.remove(listener);
    }

    /**
     * Publishes the epoch this host leads with in its record (empty: not leading). {@link Leadership} calls it;
     * the write is asynchronous, and a node recreated after a session loss carries the latest value.
     */
    public void publishLeaderEpoch(OptionalLong epoch) {
        onThread(() -> {
            if (!record.leaderEpoch().equals(epoch)) {
                record = record.withLeaderEpoch(epoch);
                write();
            }
        });
    }

    /** Deletes this host's node and stops: STARTED -> CLOSED (LATENT -> CLOSED without touching ZooKeeper). */
    @Override
    public void close() {
        Lifecycle before = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (before == Lifecycle.CLOSED) {
            return;
        }
        if (before == Lifecycle.STARTED) {
            cache.close(); // first: its events run on the thread stopped next
        }
        thread.shutdownNow();
        if (before == Lifecycle.STARTED) {
            closeNode();
        }
    }

    /**
     * PersistentNode deletes its node in the foreground, retrying for as long as the retry policy allows (half a
     * minute) when ZooKeeper is unreachable. A shutdown does not wait that long: the node is ephemeral and
     * goes with the session anyway, so the delete gets the connection timeout (nothing when disconnected) and
     * then finishes (or fails) on its own thread.
     */
    private void closeNode() {
        Thread closer = new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                log.debug("membership node {} not deleted: {}", settings.hostPath(), e.toString());
            }
        }, "membership-close-" + settings.hostId());
        closer.setDaemon(true);
        // disconnected: the delete cannot succeed before the connection is back, so there is nothing to wait for
        long wait = client.getZookeeperClient().isConnected() ? settings.connectionTimeout().toMillis() : 1;
        closer.start();
        try {
            closer.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            log.info("membership node {} not deleted yet; it goes with the session", settings.hostPath());
        }
    }

    private void heartbeat() {
        if (client.getZookeeperClient().isConnected()) {
            write();
        }
        // disconnected: a heartbeat would only wait in Curator's retry queue and land late, after newer data
    }

    /**
     * Writes the record, stamped now: every write carries a later time than the one before, so a reader can
     * tell a write that Curator retried after a reconnection (issued before the connection dropped, landing
     * after newer data) from a current one. Runs on {@link #thread}.
     */
    private void write() {
        record = record.withHeartbeat(clock.instant());
        if (lifecycle.get() != Lifecycle.STARTED || node.getActualPath() == null) {
            return; // the initial create has not happened yet: the next heartbeat writes the latest record
        }
        try {
            // also while disconnected (epoch changes only): PersistentNode recreates the node from this data
            node.setData(HostRecordCodec.encode(record));
        } catch (Exception e) {
            log.debug("record of {} not written: {}", settings.hostId(), e.toString());
        }
    }

    private void hostWritten(ChildData data) {
        String hostId = childName(data);
        if (hostId == null) {
            return;
        }
        HostRecord written;
        try {
            written = HostRecordCodec.decode(data.getData());
        } catch (IllegalArgumentException e) {
            if (unreadable.add(data.getPath())) {
                log.warn("ignoring host node {}: {}", data.getPath(), e.getMessage());
            }
            return;
        }
        unreadable.remove(data.getPath());
        if (!written.hostId().equals(hostId)) {
            log.warn("ignoring host node {}: it names host {}", data.getPath(), written.hostId());
            return;
        }
        Member known = upHosts.get(hostId);
        if (known != null && known.startedAt().equals(written.startedAt())
                && written.heartbeatAt().isBefore(known.lastHeartbeat())) {
            // a write retried after a reconnection, older than what the host wrote since: not its current record
            return;
        }
        upHosts.put(hostId, Member.up(written));
        lostHosts.remove(hostId);
        publish();
    }

    private void hostVanished(ChildData data) {
        String hostId = childName(data);
        if (hostId == null) {
            return;
        }
        unreadable.remove(data.getPath());
        Member last = upHosts.remove(hostId);
        if (last == null) {
            return;
        }
        if (settings.lostHostsKept() > 0) {
            lostHosts.remove(hostId);
            lostHosts.put(hostId, last.lost(clock.instant()));
            while (lostHosts.size() > settings.lostHostsKept()) {
                lostHosts.remove(lostHosts.keySet().iterator().next());
            }
        }
        publish();
    }

    /** The host id of a direct child of {@code <base>/hosts}, or null for the parent itself and anything deeper. */
    private String childName(ChildData data) {
        ZKPaths.PathAndNode split = ZKPaths.getPathAndNode(data.getPath());
        return split.getPath().equals(settings.hostsPath()) ? split.getNode() : null;
    }

    private void publish() {
        List<Member> hosts = new ArrayList<>(upHosts.values());
        hosts.addAll(lostHosts.values());
        Membership snapshot = new Membership(hosts, clock.instant());
        membership = snapshot;
        for (MembershipListener listener : listeners) {
            try {
                listener.membershipChanged(snapshot);
            } catch (RuntimeException e) {
                log.warn("membership listener {} failed", listener, e);
            }
        }
    }

    private void onThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException closed) {
            // closed: the node is gone, nothing left to publish
        }
    }
}
