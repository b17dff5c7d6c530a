package io.fabricipam.ovs.channel;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One switch connection: answers echoes in every state, keeps the connection alive (our own echo after
 * an idle period, closing after too many unanswered), runs the {@link OfHandshake}, then hands the
 * switch's messages to {@link SwitchEvents}. Runs on the channel's I/O thread and never blocks.
 */
final class OfChannelHandler extends SimpleChannelInboundHandler<OFMessage> implements OfHandshake.Output {

    private static final Logger log = LoggerFactory.getLogger(OfChannelHandler.class);

    private final SwitchEvents events;
    private final Clock clock;
    private final Duration handshakeTimeout;
    private final int maxEchoMisses;
    private final long requestTimeoutMillis;
    private final boolean waitForTls;
    private SwitchConnection connection;
    private OfHandshake handshake;
    private ChannelHandlerContext ctx;
    private int echoMisses;

    OfChannelHandler(SwitchEvents events, Clock clock, Duration handshakeTimeout, int maxEchoMisses,
                     long requestTimeoutMillis, boolean waitForTls) {
        this.events = events;
        this.clock = clock;
        this.handshakeTimeout = handshakeTimeout;
        this.maxEchoMisses = maxEchoMisses;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.waitForTls = waitForTls;
    }

    OfHandshake.State handshakeState() {
        return handshake == null ? OfHandshake.State.WAIT_HELLO : handshake.state();
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        this.ctx = context;
        connection = new SwitchConnection(context.channel(), clock.instant(), requestTimeoutMillis);
        handshake = new OfHandshake(this, connection::nextXid, handshakeTimeout);
        if (!waitForTls) {
            handshake.start();
        }
        context.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof SslHandshakeCompletionEvent tls) {
            if (tls.isSuccess()) {
                handshake.start();
            } else {
                log.warn("{}: TLS handshake failed: {}", context.channel().remoteAddress(), tls.cause().toString());
                context.close();
            }
        } else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            // Nothing heard for an echo interval: ask. Several intervals without any message mean the
            // peer or the path is dead even if TCP has not noticed (no FIN, no RST on a pulled cable).
            if (++echoMisses > maxEchoMisses) {
                log.warn("{}: no answer to {} echo requests, closing", connection, maxEchoMisses);
                context.close();
            } else {
                connection.send(HandshakeMessages.echoRequest());
            }
        } else {
            context.fireUserEventTriggered(event);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, OFMessage message) {
        echoMisses = 0;
        if (message instanceof OFEchoRequest echo) {
            context.writeAndFlush(HandshakeMessages.echoReply(echo), context.voidPromise());
            return;
        }
        if (message instanceof OFEchoReply) {
            return;
        }
        if (handshake.state() != OfHandshake.State.READY) {
            if (handshake.state() != OfHandshake.State.FAILED) {
                handshake.receive(message);
            }
            return;
        }
        if (connection.complete(message)) {
            return;
        }
        if (message instanceof OFPacketIn packetIn) {
            events.packetIn(connection, packetIn);
        } else if (message instanceof OFPortStatus status) {
            events.portStatus(connection, status);
        } else if (message instanceof OFErrorMsg error) {
            events.error(connection, error);
        } else {
            log.debug("{}: ignored {}", connection, message.getType());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        boolean wasReady = handshake != null && handshake.state() == OfHandshake.State.READY;
        if (handshake != null) {
            handshake.abort();
        }
        if (connection != null) {
            connection.failPending();
        }
        if (wasReady) {
            events.disconnected(connection);
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        log.warn("{}: closing after {}", connection != null ? connection : context.channel().remoteAddress(), cause.toString());
        context.close();
    }

    // --- OfHandshake.Output

    @Override
    public void send(OFMessage message) {
        ctx.writeAndFlush(message, ctx.voidPromise());
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return ctx.executor().schedule(task, delay, unit);
    }

    @Override
    public void ready(HandshakeResult result) {
        connection.datapathId(result.datapathId());
        log.info("{}: OpenFlow 1.3 handshake done ({} ports, {} tables)", connection, result.ports().size(), result.tables());
        events.connected(connection, result);
    }

    @Override
    public void failed(String reason) {
        log.warn("{}: handshake failed: {}", ctx.channel().remoteAddress(), reason);
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
