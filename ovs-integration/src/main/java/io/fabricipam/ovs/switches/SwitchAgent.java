package io.fabricipam.ovs.switches;

import io.fabricipam.ovs.channel.DatapathIds;
import io.fabricipam.ovs.channel.HandshakeResult;
import io.fabricipam.ovs.channel.SwitchConnection;
import io.fabricipam.ovs.pipeline.BridgePort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything we keep about one datapath, across its reconnects: its current connection, its ports, and
 * the flow thread that alone changes its flows (DESIGN.md §3). I/O threads only enqueue work here.
 * Reconcile requests coalesce: however many port or VLAN changes arrive while one runs, one more follows.
 */
final class SwitchAgent {

    private static final Logger log = LoggerFactory.getLogger(SwitchAgent.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    final long dpid;
    private final PipelineContext context;
    private final List<SwitchListener> listeners;
    private final ScheduledExecutorService retries;
    private final ExecutorService flowThread;
    private final BridgeReconciler reconciler;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile boolean fullNeeded;
    private volatile SwitchConnection connection;
    private volatile PortSnapshot ports = PortSnapshot.EMPTY;
    private volatile FlowState flowState = FlowState.PENDING;
    /** Owned by the flow thread. */
    private final Map<Integer, OFPortDesc> ofPorts = new HashMap<>();
    private Duration retryPause = FIRST_RETRY;

    SwitchAgent(long dpid, PipelineContext context, List<SwitchListener> listeners, ScheduledExecutorService retries) {
        this.dpid = dpid;
        this.context = context;
        this.listeners = listeners;
        this.retries = retries;
        this.reconciler = new BridgeReconciler(context);
        this.flowThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "of-flows-" + DatapathIds.format(dpid));
            t.setDaemon(true);
            return t;
        });
    }

    SwitchConnection connection() {
        return connection;
    }

    PortSnapshot ports() {
        return ports;
    }

    FlowState flowState() {
        return flowState;
    }

    /** I/O thread: a handshake for this datapath finished. A previous connection, if still open, is replaced. */
    void attach(SwitchConnection next, HandshakeResult handshake) {
        SwitchConnection previous = connection;
        connection = next;
        if (previous != null && previous != next && previous.isOpen()) {
            log.info("{}: replaces the connection from {}", next, previous.remoteAddressText());
            previous.close();
        }
        run(() -> {
            if (connection != next) {
                return;
            }
            ofPorts.clear();
            handshake.ports().forEach(p -> ofPorts.put(p.getPortNo().getPortNumber(), p));
            handshake.laterPortChanges().forEach(this::applyPortStatus);
            reconciler.attach(next);
            flowState = FlowState.PENDING;
            retryPause = FIRST_RETRY;
            listeners.forEach(l -> l.switchConnected(dpid, next.remoteAddressText()));
            // requested from here, behind the port update: a reconcile queued earlier would not see it
            requestReconcile(true);
        });
    }

    /** I/O thread: a connection closed; only the current one detaches the datapath. */
    void detach(SwitchConnection closed) {
        if (connection != closed) {
            return;
        }
        connection = null;
        run(() -> listeners.forEach(l -> l.switchDisconnected(dpid)));
    }

    void portStatus(SwitchConnection from, OFPortStatus status) {
        run(() -> {
            if (connection == from) {
                applyPortStatus(status);
                requestReconcile(false);
            }
        });
    }

    void error(SwitchConnection from, OFErrorMsg error) {
        if (connection == from) {
            reconciler.error(error);
        }
    }

    private void applyPortStatus(OFPortStatus status) {
        OFPortDesc desc = status.getDesc();
        int number = desc.getPortNo().getPortNumber();
        if (status.getReason() == OFPortReason.DELETE) {
            ofPorts.remove(number);
        } else {
            ofPorts.put(number, desc);
        }
        log.debug("{}: port {} {} ({})", connection, number, status.getReason(), desc.getName());
    }

    /** Any thread: bring the flows up to date soon; {@code full} reads the switch's state back first. */
    void requestReconcile(boolean full) {
        if (full) {
            fullNeeded = true;
        }
        if (queued.compareAndSet(false, true)) {
            run(this::reconcileNow);
        }
    }

    private void reconcileNow() {
        queued.set(false);
        SwitchConnection conn = connection;
        if (conn == null || !conn.isOpen()) {
            return;
        }
        boolean full = fullNeeded;
        fullNeeded = false;
        FlowState result;
        try {
            ports = BridgePorts.assemble(ofPorts.values(), context.bindings.bindings(), context.classifier,
                    context.metersEnabled, reconciler.maxMeterId(), context.managedVlans());
            List<BridgePort> bridgePorts = new ArrayList<>(ports.byOfport().values());
            result = reconciler.reconcile(bridgePorts, full) ? FlowState.SYNCED : FlowState.FAILED;
        } catch (BridgeReconciler.ReconcileException e) {
            if (conn.isOpen()) {
                log.warn("{}: reconcile failed: {}", conn, e.getMessage());
            } else {
                // the switch went away mid-reconcile; its next connection starts with a full one anyway
                log.debug("{}: reconcile cut short by the disconnect: {}", conn, e.getMessage());
            }
            reconciler.outOfSync();
            result = FlowState.FAILED;
        }
        if (connection != conn) {
            return;
        }
        flowState = result;
        FlowState reported = result;
        listeners.forEach(l -> l.flowsReconciled(dpid, reported));
        if (result == FlowState.FAILED) {
            Duration pause = retryPause;
            retryPause = pause.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : pause.multipliedBy(2);
            retries.schedule(() -> requestReconcile(true), pause.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            retryPause = FIRST_RETRY;
        }
    }

    private void run(Runnable task) {
        try {
            flowThread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("switch {}: flow thread task failed", DatapathIds.format(dpid), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    void close() {
        SwitchConnection conn = connection;
        if (conn != null) {
            conn.close();
        }
        flowThread.shutdownNow();
        try {
            flowThread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
