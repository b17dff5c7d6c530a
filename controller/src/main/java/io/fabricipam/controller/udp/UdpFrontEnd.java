package io.fabricipam.controller.udp;

import io.fabricipam.controller.dhcp.DhcpLifecycle;
import io.fabricipam.controller.dhcp.DhcpProperties;
import io.fabricipam.controller.dhcp.DhcpWorkers;
import io.fabricipam.controller.linux.LinuxNative;
import io.fabricipam.controller.linux.NetworkNamespace;
import io.fabricipam.dhcp.codec.DhcpCodec;
import io.fabricipam.dhcp.codec.DhcpReply;
import io.fabricipam.dhcp.codec.DhcpRequest;
import io.fabricipam.dhcp.codec.MalformedPacketException;
import io.fabricipam.dhcp.codec.ReplyDestination;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.server.DhcpListener;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.RequestContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * DHCP over plain UDP, for clients on links the server is attached to and for relay agents, without Open
 * vSwitch. One epoll socket per interface on 0.0.0.0:67 with SO_BINDTODEVICE, so a broadcast from a
 * client without an address is known to have come from that link; the link's addresses pick the scope.
 *
 * <p>Threads: the Netty I/O thread only copies the datagram and hands it to a bounded worker pool (full:
 * dropped and counted as queue-full); workers decode and ask the core; the reply is sent when the core's
 * future completes, after the lease is committed. Replies that RFC 2131 would unicast to a client without
 * an address (to yiaddr at chaddr) are broadcast instead, which needs no ARP entry.
 *
 * <p>Lifecycle: started by the early start-up phase (or by the context), stopped by the context before the
 * DHCP core: {@link #stop()} first stops reading, then waits (at most {@link #IN_FLIGHT_TIMEOUT}) until every
 * request it took is answered or dropped, while the core's journal is still open, then closes the sockets.
 */
public class UdpFrontEnd implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UdpFrontEnd.class);
    /** Largest DHCP datagram read: an Ethernet MTU's worth. */
    static final int MAX_DATAGRAM = 1500;
    /** How long a stop waits for requests taken before it to be answered. */
    static final Duration IN_FLIGHT_TIMEOUT = Duration.ofSeconds(3);

    private final DhcpServer server;
    private final DhcpListener listener;
    private final DhcpProperties properties;
    private final DhcpWorkers workers;
    private final DhcpCodec codec = new DhcpCodec();
    private final List<UdpLink> links = new ArrayList<>();
    private EpollEventLoopGroup io;
    private ScheduledExecutorService refresher;
    private NetworkNamespace namespace;
    private boolean prepared;
    private volatile boolean running;
    private volatile boolean receiving;
    // requests received and not yet answered or dropped
    private final AtomicInteger inFlight = new AtomicInteger();

    public UdpFrontEnd(DhcpServer server, DhcpListener listener, DhcpProperties properties, DhcpWorkers workers) {
        this.server = server;
        this.listener = listener;
        this.properties = properties;
        this.workers = workers;
    }

    /**
     * Opens the sockets without reading from them yet: datagrams wait in the socket buffer until
     * {@link #start()}. The early phase runs this beside the core's loading, since neither needs the other.
     */
    public synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        DhcpProperties.Udp udp = properties.udp();
        if (udp.interfaces().isEmpty()) {
            return;
        }
        namespace = new NetworkNamespace(udp.networkNamespace());
        io = new EpollEventLoopGroup(1, new DefaultThreadFactory("dhcp-udp-io", true));
        try {
            for (String name : udp.interfaces()) {
                links.add(namespace.call(() -> open(name, udp.port())));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts answering (after {@link #prepare()}, which it does itself when needed). */
    @Override
    public synchronized void start() {
        if (running) {
            return; // started early
        }
        prepare();
        DhcpProperties.Udp udp = properties.udp();
        if (udp.interfaces().isEmpty()) {
            log.info("UDP front end off (set fabric.dhcp.udp.interfaces to serve DHCP on interfaces)");
            running = true;
            return;
        }
        receiving = true;
        for (UdpLink link : links) {
            link.channel.config().setAutoRead(true);
            log.info("serving DHCP on {}{} port {}, addresses {}", link.interfaceName,
                    namespace.name() == null ? "" : " in network namespace " + namespace.name(), udp.port(), link.addresses());
        }
        refresher = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("dhcp-udp-addresses", true));
        refresher.scheduleWithFixedDelay(this::refreshAddresses, 5, 5, TimeUnit.SECONDS);
        running = true;
    }

    /** Runs on the namespace's thread: the socket and the address lookup belong to that namespace. */
    private UdpLink open(String name, int port) throws Exception {
        List<Ipv4Address> addresses = addressesOf(name);
        UdpLink[] holder = new UdpLink[1];
        Bootstrap bootstrap = new Bootstrap().group(io).channel(EpollDatagramChannel.class)
                .option(ChannelOption.AUTO_READ, false) // until start()
                .option(ChannelOption.SO_BROADCAST, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                // recvmmsg: up to 32 datagrams per read syscall (the buffer must be a multiple of the payload size)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(32 * MAX_DATAGRAM))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        receive(holder[0], packet);
                    }
                });
        Channel channel = bootstrap.register().sync().channel();
        LinuxNative.bindToDevice(((EpollDatagramChannel) channel).fd().intValue(), name);
        channel.bind(new InetSocketAddress(port)).sync();
        UdpLink link = new UdpLink(name, channel, addresses);
        holder[0] = link;
        return link;
    }

    private static List<Ipv4Address> addressesOf(String name) throws SocketException {
        NetworkInterface nic = NetworkInterface.getByName(name);
        if (nic == null) {
            throw new IllegalStateException("no interface '" + name + "' (fabric.dhcp.udp.interfaces)");
        }
        List<Ipv4Address> addresses = new ArrayList<>();
        for (InterfaceAddress a : nic.getInterfaceAddresses()) {
            if (a.getAddress() instanceof Inet4Address v4) {
                addresses.add(Ipv4Address.of(v4));
            }
        }
        return addresses;
    }

    private void refreshAddresses() {
        for (UdpLink link : links) {
            try {
                List<Ipv4Address> now = namespace.call(() -> addressesOf(link.interfaceName));
                if (!now.equals(link.addresses())) {
                    log.info("addresses of {} changed: {} -> {}", link.interfaceName, link.addresses(), now);
                    link.addresses(now);
                }
            } catch (RuntimeException e) {
                log.warn("cannot read the addresses of {}: {}", link.interfaceName, e.getMessage());
            }
        }
    }

    /** On the I/O thread: copy and hand over, nothing else. After a stop began, nothing new is taken. */
    private void receive(UdpLink link, DatagramPacket packet) {
        if (!receiving) {
            return;
        }
        ByteBuf content = packet.content();
        byte[] data = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), data);
        long receivedAt = System.nanoTime();
        inFlight.incrementAndGet();
        if (!workers.submit(() -> process(link, data, receivedAt))) {
            inFlight.decrementAndGet();
        }
    }

    private void process(UdpLink link, byte[] data, long receivedAt) {
        CompletableFuture<?> answered;
        try {
            answered = answer(link, data, receivedAt);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
        answered.whenComplete((done, failure) -> inFlight.decrementAndGet());
    }

    /** Completes when the reply was handed to the socket, or when there is none. */
    private CompletableFuture<?> answer(UdpLink link, byte[] data, long receivedAt) {
        DhcpRequest request;
        try {
            request = codec.decode(data);
        } catch (MalformedPacketException e) {
            listener.dropped(e.reason());
            log.debug("dropped a packet on {}: {} ({})", link.interfaceName, e.reason().tag(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        RequestContext context = new RequestContext(null, link.addresses(), link.seenOn, receivedAt);
        return server.handle(request, context).whenComplete((outcome, failure) -> {
            if (failure != null) {
                log.error("DHCP request {} failed", request, failure);
            } else if (outcome.reply() != null) {
                send(link, outcome.reply(), receivedAt);
            }
        });
    }

    private void send(UdpLink link, DhcpReply reply, long receivedAt) {
        DhcpCodec.EncodedReply encoded = codec.encode(reply, properties.udp().mtu());
        encoded.omittedOptions().forEach(listener::optionOmitted);
        ReplyDestination d = reply.destination();
        InetSocketAddress to = switch (d.kind()) {
            case RELAY, CLIENT_ADDRESS -> new InetSocketAddress(d.address().toInetAddress(), d.port());
            case BROADCAST, OFFERED_ADDRESS -> new InetSocketAddress(Ipv4Address.BROADCAST.toInetAddress(),
                    ReplyDestination.CLIENT_PORT);
        };
        link.send(new DatagramPacket(Unpooled.wrappedBuffer(encoded.payload()), to));
        listener.replied(reply.messageType(), System.nanoTime() - receivedAt);
    }

    /** Stops reading, lets the requests taken so far be answered (bounded), then closes. Idempotent. */
    @Override
    public synchronized void stop() {
        if (!running) {
            close(); // prepared, perhaps, but never answering
            return;
        }
        running = false;
        receiving = false;
        for (UdpLink link : links) {
            link.channel.config().setAutoRead(false);
        }
        long deadline = System.nanoTime() + IN_FLIGHT_TIMEOUT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        int left = inFlight.get();
        if (left > 0) {
            log.warn("UDP front end stopped with {} request(s) unanswered after {} ms", left, IN_FLIGHT_TIMEOUT.toMillis());
        }
        close();
    }

    /** Requests taken and not yet answered or dropped (for tests and health). */
    public int inFlight() {
        return inFlight.get();
    }

    private void close() {
        receiving = false;
        if (refresher != null) {
            refresher.shutdownNow();
        }
        for (UdpLink link : links) {
            link.channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        links.clear();
        if (io != null) {
            io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        if (namespace != null) {
            namespace.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DhcpLifecycle.PHASE + 100;
    }
}
