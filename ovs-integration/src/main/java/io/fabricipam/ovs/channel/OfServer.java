package io.fabricipam.ovs.channel;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenFlow listener: accepts any number of switches, each on its own channel with
 * [TLS] -> idle detection -> framing -> openflowj decoding/encoding -> {@link OfChannelHandler}.
 * NIO transport: portable, and a handful of switches per host never needs epoll's extra throughput.
 */
public final class OfServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OfServer.class);

    /** How the listener behaves; see {@code OpenFlowSettings} for the meaning of each value. */
    public record Options(String bindAddress, int port, TlsFiles tls, Duration echoInterval, int echoMisses,
                          Duration handshakeTimeout, Duration requestTimeout, int ioThreads) {
    }

    private final Options options;
    private final SwitchEvents events;
    private final Clock clock;
    private final LongAdder unparseable = new LongAdder();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel listener;

    public OfServer(Options options, SwitchEvents events, Clock clock) {
        this.options = options;
        this.events = events;
        this.clock = clock;
    }

    /** Binds and returns the bound port (useful with port 0). */
    public int start() throws InterruptedException, SSLException {
        SslContext ssl = options.tls() == null ? null : options.tls().serverContext();
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("of-accept", true));
        workers = new NioEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("of-io", true));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        configure(ch.pipeline(), ssl, ch);
                    }
                });
        try {
            listener = bootstrap.bind(new InetSocketAddress(options.bindAddress(), options.port())).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        log.info("OpenFlow listening on {}:{}{}", options.bindAddress(), port, ssl == null ? "" : " (TLS)");
        return port;
    }

    void configure(ChannelPipeline pipeline, SslContext ssl, SocketChannel ch) {
        if (ssl != null) {
            pipeline.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        pipeline.addLast("idle", new IdleStateHandler(options.echoInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("framer", OfMessageDecoder.framer());
        pipeline.addLast("decoder", new OfMessageDecoder(unparseable));
        pipeline.addLast("encoder", OfMessageEncoder.INSTANCE);
        pipeline.addLast("switch", new OfChannelHandler(events, clock, options.handshakeTimeout(), options.echoMisses(),
                options.requestTimeout().toMillis(), ssl != null));
    }

    /** OpenFlow messages skipped because openflowj could not parse them. */
    public long unparseableMessages() {
        return unparseable.sum();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
            listener = null;
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
