package io.fabricipam.ovs.channel;

import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;

/**
 * One OpenFlow connection after (and during) its handshake: sending, and requests whose replies are
 * matched by xid. Thread-safe: any thread may send or ask; replies complete futures on the I/O thread,
 * so callers must not block in their callbacks (use the {@code *Async} variants with their own executor).
 */
public final class SwitchConnection {

    private final Channel channel;
    private final Instant connectedSince;
    private final long requestTimeoutMillis;
    private final AtomicLong nextXid = new AtomicLong(1);
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile long datapathId = -1;

    /** A request in flight: multipart replies are collected until the last one. */
    private static final class Pending {
        final CompletableFuture<List<OFMessage>> future = new CompletableFuture<>();
        final List<OFMessage> parts = new ArrayList<>(1);
        ScheduledFuture<?> timeout;
    }

    SwitchConnection(Channel channel, Instant connectedSince, long requestTimeoutMillis) {
        this.channel = channel;
        this.connectedSince = connectedSince;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    public long datapathId() {
        return datapathId;
    }

    void datapathId(long id) {
        this.datapathId = id;
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** "host:port" of the switch's end (no leading slash, unlike {@code InetSocketAddress.toString()}). */
    public String remoteAddressText() {
        SocketAddress a = channel.remoteAddress();
        if (a instanceof java.net.InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(a);
    }

    public Instant connectedSince() {
        return connectedSince;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    long nextXid() {
        // xids wrap at 32 bits; zero is avoided because some switches use it for unsolicited messages
        long xid = nextXid.getAndIncrement() & 0xffff_ffffL;
        return xid == 0 ? nextXid.getAndIncrement() & 0xffff_ffffL : xid;
    }

    /** Sends a message with a fresh xid and returns that xid. */
    public long send(OFMessage message) {
        long xid = nextXid();
        channel.writeAndFlush(message.createBuilder().setXid(xid).build(), channel.voidPromise());
        return xid;
    }

    /** Sends several messages in one flush; returns their xids in order. */
    public long[] sendAll(List<? extends OFMessage> messages) {
        long[] xids = new long[messages.size()];
        for (int i = 0; i < xids.length; i++) {
            xids[i] = nextXid();
            channel.write(messages.get(i).createBuilder().setXid(xids[i]).build(), channel.voidPromise());
        }
        channel.flush();
        return xids;
    }

    /** A multipart request; completes with every reply part once the last one (without REPLY_MORE) is in. */
    @SuppressWarnings("unchecked")
    public <R extends OFStatsReply> CompletableFuture<List<R>> multipart(OFStatsRequest<R> request) {
        return ask(request).thenApply(parts -> (List<R>) (List<?>) parts);
    }

    /** A barrier: completes when the switch has processed everything sent before it. */
    public CompletableFuture<Void> barrier() {
        return ask(HandshakeMessages.barrier()).thenApply(parts -> null);
    }

    private CompletableFuture<List<OFMessage>> ask(OFMessage request) {
        long xid = nextXid();
        Pending p = new Pending();
        pending.put(xid, p);
        p.timeout = channel.eventLoop().schedule(() -> {
            if (pending.remove(xid, p)) {
                p.future.completeExceptionally(new OfRequestException(request.getType() + " timed out after "
                        + requestTimeoutMillis + " ms"));
            }
        }, requestTimeoutMillis, TimeUnit.MILLISECONDS);
        channel.writeAndFlush(request.createBuilder().setXid(xid).build()).addListener(f -> {
            if (!f.isSuccess() && pending.remove(xid, p)) {
                p.timeout.cancel(false);
                p.future.completeExceptionally(new OfRequestException("could not send " + request.getType()
                        + ": " + f.cause()));
            }
        });
        return p.future;
    }

    /**
     * Offers a message to the pending requests. Returns true when it answered one (and was consumed).
     * Called on the I/O thread.
     */
    boolean complete(OFMessage message) {
        Pending p = pending.get(message.getXid());
        if (p == null) {
            return false;
        }
        if (message instanceof OFErrorMsg error) {
            finish(message.getXid(), p);
            p.future.completeExceptionally(new OfRequestException("switch refused: " + error));
            return true;
        }
        p.parts.add(message);
        if (message instanceof OFStatsReply stats && stats.getFlags().contains(OFStatsReplyFlags.REPLY_MORE)) {
            return true;
        }
        if (message instanceof OFStatsReply || message instanceof OFBarrierReply) {
            finish(message.getXid(), p);
            p.future.complete(List.copyOf(p.parts));
            return true;
        }
        return false;
    }

    private void finish(long xid, Pending p) {
        pending.remove(xid, p);
        if (p.timeout != null) {
            p.timeout.cancel(false);
        }
    }

    /** The channel is gone: nobody will answer. */
    void failPending() {
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                e.getValue().timeout.cancel(false);
                e.getValue().future.completeExceptionally(new OfRequestException("connection closed"));
            }
        }
    }

    public void close() {
        channel.close();
    }

    Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "switch " + (datapathId == -1 ? "?" : DatapathIds.format(datapathId)) + " at " + remoteAddressText();
    }
}
