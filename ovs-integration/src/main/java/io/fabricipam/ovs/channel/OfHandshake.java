package io.fabricipam.ovs.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFConfigFlags;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.U32;

/**
 * The OpenFlow 1.3 handshake of one connection, as an explicit state machine. Echo requests are answered
 * by the channel handler in every state, so they never reach this class. Each state has a deadline; a
 * switch that stalls in any state is dropped (it will reconnect, and OVS backs off on its own).
 *
 * <pre>
 *   WAIT_HELLO --HELLO with 1.3--> WAIT_FEATURES_REPLY --FEATURES_REPLY--> WAIT_PORT_DESC
 *   WAIT_PORT_DESC --last PORT_DESC reply--> WAIT_CONFIG_BARRIER --BARRIER_REPLY--> READY
 *   any state before READY --timeout, ERROR, unexpected message, other version--> FAILED
 * </pre>
 *
 * Not thread-safe: driven from the channel's event loop only.
 */
final class OfHandshake {

    /** Where the handshake sends messages and reports its outcome; implemented by the channel handler. */
    interface Output {
        void send(OFMessage message);

        ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);

        void ready(HandshakeResult result);

        /** The handshake gave up; the connection is to be closed after flushing what was sent. */
        void failed(String reason);
    }

    enum State {
        /**
         * Our HELLO (version 1.3 with a version bitmap of only 1.3) is sent; waiting for the switch's.
         * HELLO offering 1.3 -> send FEATURES_REQUEST, go to WAIT_FEATURES_REPLY. HELLO without 1.3 ->
         * send HELLO_FAILED/INCOMPATIBLE, go to FAILED. Anything else -> FAILED.
         */
        WAIT_HELLO,
        /**
         * Waiting for FEATURES_REPLY, which names the datapath. Reply on the main connection -> send
         * PORT_DESC multipart request, go to WAIT_PORT_DESC. An auxiliary connection (we do not use
         * them) or an ERROR -> FAILED.
         */
        WAIT_FEATURES_REPLY,
        /**
         * Collecting PORT_DESC replies until one without REPLY_MORE -> send SET_CONFIG (miss_send_len
         * 0xffff: whole packets for table misses too) and a BARRIER_REQUEST, go to WAIT_CONFIG_BARRIER.
         * PORT_STATUS meanwhile is kept and handed on with the result. ERROR -> FAILED.
         */
        WAIT_PORT_DESC,
        /**
         * Waiting for the barrier behind SET_CONFIG: once it is back the switch has taken the config.
         * BARRIER_REPLY -> READY. ERROR (the switch refused SET_CONFIG) -> FAILED.
         */
        WAIT_CONFIG_BARRIER,
        /** Handshake done; every further message belongs to the switch. Final. */
        READY,
        /** Handshake given up; the channel is closing. Final. */
        FAILED
    }

    static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    static final int MISS_SEND_LEN_WHOLE_PACKET = 0xffff;

    private final Output out;
    private final LongSupplier xids;
    private final Duration stateTimeout;
    private State state = State.WAIT_HELLO;
    private ScheduledFuture<?> deadline;
    private OFFeaturesReply features;
    private long portDescXid;
    private long barrierXid;
    private final List<OFPortDesc> ports = new ArrayList<>();
    private final List<OFPortStatus> portChanges = new ArrayList<>();
    private int droppedPacketIns;

    OfHandshake(Output out, LongSupplier xids, Duration stateTimeout) {
        this.out = out;
        this.xids = xids;
        this.stateTimeout = stateTimeout;
    }

    State state() {
        return state;
    }

    /** Packet-ins that arrived before READY (from flows an earlier controller run left): dropped, DHCP retries. */
    int droppedPacketIns() {
        return droppedPacketIns;
    }

    /** The connection is up: say HELLO. */
    void start() {
        OFHelloElem bitmap = OF13.buildHelloElemVersionbitmap()
                .setBitmaps(List.of(U32.of(1L << OFVersion.OF_13.getWireVersion())))
                .build();
        out.send(OF13.buildHello().setXid(xids.getAsLong()).setElements(List.of(bitmap)).build());
        enter(State.WAIT_HELLO);
    }

    void receive(OFMessage message) {
        switch (state) {
            case WAIT_HELLO -> onHello(message);
            case WAIT_FEATURES_REPLY -> onFeatures(message);
            case WAIT_PORT_DESC -> onPortDesc(message);
            case WAIT_CONFIG_BARRIER -> onConfigBarrier(message);
            case READY, FAILED -> throw new IllegalStateException("handshake is over (" + state + ")");
        }
    }

    /** The channel closed: stop the clock. */
    void abort() {
        cancelDeadline();
        if (state != State.READY) {
            state = State.FAILED;
        }
    }

    private void onHello(OFMessage message) {
        if (!(message instanceof OFHello hello)) {
            fail("expected HELLO, got " + message.getType());
            return;
        }
        if (!offers13(hello)) {
            OFFactory theirs = OFFactories.getFactory(hello.getVersion());
            out.send(theirs.errorMsgs().buildHelloFailedErrorMsg()
                    .setXid(hello.getXid())
                    .setCode(OFHelloFailedCode.INCOMPATIBLE)
                    .setData(OFErrorCauseData.of("only OpenFlow 1.3 is supported".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                            hello.getVersion()))
                    .build());
            fail("switch does not speak OpenFlow 1.3 (HELLO version " + hello.getVersion() + ")");
            return;
        }
        out.send(OF13.buildFeaturesRequest().setXid(xids.getAsLong()).build());
        enter(State.WAIT_FEATURES_REPLY);
    }

    /**
     * OpenFlow 1.3.1 §6.3.1: with version bitmaps on both sides the highest common bit wins; without a
     * bitmap the lower of the two header versions is used. We only offer 1.3, so either way the switch
     * must offer 1.3 (its bitmap has bit 4, or its header version is 1.3 or later).
     */
    static boolean offers13(OFHello hello) {
        int ours = OFVersion.OF_13.getWireVersion();
        if (hello.getVersion().getWireVersion() < ours) {
            // HELLO elements exist from 1.3 on; an older header version is all an older switch can say
            return false;
        }
        for (OFHelloElem element : hello.getElements()) {
            if (element instanceof OFHelloElemVersionbitmap bitmap) {
                int index = ours / 32;
                List<U32> words = bitmap.getBitmaps();
                return index < words.size() && (words.get(index).getValue() & (1L << (ours % 32))) != 0;
            }
        }
        return hello.getVersion().getWireVersion() >= ours;
    }

    private void onFeatures(OFMessage message) {
        if (message instanceof OFFeaturesReply reply) {
            if (reply.getVersion() != OFVersion.OF_13) {
                fail("FEATURES_REPLY in " + reply.getVersion());
                return;
            }
            if (reply.getAuxiliaryId().getValue() != 0) {
                fail("auxiliary connection " + reply.getAuxiliaryId() + " (not supported)");
                return;
            }
            features = reply;
            portDescXid = xids.getAsLong();
            out.send(OF13.buildPortDescStatsRequest().setXid(portDescXid).build());
            enter(State.WAIT_PORT_DESC);
        } else {
            unexpected(message);
        }
    }

    private void onPortDesc(OFMessage message) {
        if (message instanceof OFPortDescStatsReply reply && reply.getXid() == portDescXid) {
            ports.addAll(reply.getEntries());
            if (!reply.getFlags().contains(OFStatsReplyFlags.REPLY_MORE)) {
                out.send(OF13.buildSetConfig()
                        .setXid(xids.getAsLong())
                        .setFlags(EnumSet.of(OFConfigFlags.FRAG_NORMAL))
                        .setMissSendLen(MISS_SEND_LEN_WHOLE_PACKET)
                        .build());
                barrierXid = xids.getAsLong();
                out.send(OF13.buildBarrierRequest().setXid(barrierXid).build());
                enter(State.WAIT_CONFIG_BARRIER);
            }
        } else {
            unexpected(message);
        }
    }

    private void onConfigBarrier(OFMessage message) {
        if (message instanceof OFBarrierReply reply && reply.getXid() == barrierXid) {
            cancelDeadline();
            state = State.READY;
            out.ready(new HandshakeResult(features.getDatapathId().getLong(), features.getNBuffers(),
                    features.getNTables() & 0xff, ports, portChanges));
        } else {
            unexpected(message);
        }
    }

    /** Messages a switch may legitimately send while we are still asking questions. */
    private void unexpected(OFMessage message) {
        if (message instanceof OFPortStatus status) {
            portChanges.add(status);
        } else if (message instanceof OFPacketIn) {
            droppedPacketIns++;
        } else if (message instanceof OFErrorMsg error) {
            fail("switch answered with " + error);
        } else {
            fail("unexpected " + message.getType() + " in " + state);
        }
    }

    private void enter(State next) {
        cancelDeadline();
        state = next;
        deadline = out.schedule(() -> {
            if (state == next) {
                fail("no answer within " + stateTimeout.toMillis() + " ms in " + next);
            }
        }, stateTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fail(String reason) {
        cancelDeadline();
        state = State.FAILED;
        out.failed(reason);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
