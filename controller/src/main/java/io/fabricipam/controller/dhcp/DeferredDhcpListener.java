package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.server.DhcpListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The listener the DHCP core is built with, before the metrics exist: DHCP answers from the early start-up
 * phase, seconds before Spring has made the meter registry (see {@code EarlyDhcp}). Until {@link #attach}
 * it keeps what it observes (counts, and the latency of the first {@link #MAX_EARLY_LATENCIES} replies, 9
 * bytes each); on attach it hands all of it to the target, then forwards. Replies beyond that bound are
 * counted and handed over with a latency of 0.
 *
 * <p>States: COLLECTING (target null: every event under this object's lock) -> FORWARDING (target set,
 * read without a lock). An event racing with {@link #attach} either sees the target or takes the lock and
 * sees it there, so none is counted twice or lost.
 */
public final class DeferredDhcpListener implements DhcpListener {

    /** Early replies whose latency is kept for the histogram; later ones before attach are counted only. */
    static final int MAX_EARLY_LATENCIES = 1 << 20;

    private volatile DhcpListener target;
    // COLLECTING state, guarded by this
    private final long[] received = new long[256];
    private final long[] dropped = new long[DropReason.values().length];
    private byte[] replyTypes = new byte[1024];
    private long[] replyLatencies = new long[1024];
    private int replies;
    private final long[] repliedUntimed = new long[256];
    private final List<Integer> omitted = new ArrayList<>();

    /** Replays what was collected into {@code listener} and forwards everything from now on. Once only. */
    public synchronized void attach(DhcpListener listener) {
        if (target != null) {
            throw new IllegalStateException("already attached to " + target);
        }
        for (int code = 0; code < received.length; code++) {
            for (long i = 0; i < received[code]; i++) {
                listener.received(new DhcpMessageType(code));
            }
            for (long i = 0; i < repliedUntimed[code]; i++) {
                listener.replied(new DhcpMessageType(code), 0);
            }
        }
        for (DropReason reason : DropReason.values()) {
            for (long i = 0; i < dropped[reason.ordinal()]; i++) {
                listener.dropped(reason);
            }
        }
        for (int i = 0; i < replies; i++) {
            listener.replied(new DhcpMessageType(replyTypes[i] & 0xff), replyLatencies[i]);
        }
        omitted.forEach(listener::optionOmitted);
        replyTypes = null;
        replyLatencies = null;
        omitted.clear();
        target = listener;
    }

    @Override
    public void received(DhcpMessageType type) {
        DhcpListener t = target;
        if (t != null) {
            t.received(type);
            return;
        }
        synchronized (this) {
            if (target != null) {
                target.received(type);
            } else {
                received[type.code() & 0xff]++;
            }
        }
    }

    @Override
    public void dropped(DropReason reason) {
        DhcpListener t = target;
        if (t != null) {
            t.dropped(reason);
            return;
        }
        synchronized (this) {
            if (target != null) {
                target.dropped(reason);
            } else {
                dropped[reason.ordinal()]++;
            }
        }
    }

    @Override
    public void replied(DhcpMessageType type, long latencyNanos) {
        DhcpListener t = target;
        if (t != null) {
            t.replied(type, latencyNanos);
            return;
        }
        synchronized (this) {
            if (target != null) {
                target.replied(type, latencyNanos);
            } else if (replies < MAX_EARLY_LATENCIES) {
                if (replies == replyTypes.length) {
                    replyTypes = Arrays.copyOf(replyTypes, replies * 2);
                    replyLatencies = Arrays.copyOf(replyLatencies, replies * 2);
                }
                replyTypes[replies] = (byte) type.code();
                replyLatencies[replies++] = latencyNanos;
            } else {
                repliedUntimed[type.code() & 0xff]++;
            }
        }
    }

    @Override
    public void optionOmitted(int code) {
        DhcpListener t = target;
        if (t != null) {
            t.optionOmitted(code);
            return;
        }
        synchronized (this) {
            if (target != null) {
                target.optionOmitted(code);
            } else {
                omitted.add(code);
            }
        }
    }
}
