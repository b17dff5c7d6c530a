package io.fabricipam.controller.it;

import io.fabricipam.controller.linux.NetworkNamespace;
import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/**
 * Many DHCP clients at once behind one relay agent: one UDP socket on port 67 of the relay's address in a lab
 * namespace, up to {@code window} exchanges in flight, replies matched to their client by xid on a receiver
 * thread. Unlike {@link RelayAgent} (one exchange at a time), this keeps the server's journal busy with
 * batches. Every DHCPACK a client receives is recorded (MAC -> yiaddr) the moment it arrives: those are the
 * leases the server promised, which a crash test then looks for in the store.
 *
 * <p>Lifecycle: {@link #start} a load (once), {@link #stop()} it (exchanges in flight are abandoned),
 * then {@link #initReboot} as often as wanted; {@link #close()} ends the threads and the socket.
 */
final class RelayedClients implements AutoCloseable {

    /** What an INIT-REBOOT got: an ACK of {@code address}, a NAK, or nothing (the server does not know the client). */
    record Answer(String kind, String address) {
        static final Answer SILENCE = new Answer("silence", null);
        static final Answer NAK = new Answer("nak", null);

        boolean isAckOf(String expected) {
            return "ack".equals(kind) && expected.equals(address);
        }

        @Override
        public String toString() {
            return address == null ? kind : kind + " " + address;
        }
    }

    /**
     * A client that holds {@code address}: its MAC and, when it sends one, its client identifier (option 61;
     * udhcpc sends 01 + MAC by default), which is what the server knows the client by.
     */
    record Holder(String mac, String address, byte[] clientId) {
    }

    private enum Kind { ACQUIRE, REBOOT }

    /** One client's exchange in flight. */
    private static final class Exchange {
        final Kind kind;
        final String mac;
        final String requested;
        final byte[] clientId;
        final int xid;
        volatile boolean requesting;
        volatile long deadline;
        volatile int retries;

        Exchange(Kind kind, String mac, String requested, byte[] clientId, int xid) {
            this.kind = kind;
            this.mac = mac;
            this.requested = requested;
            this.clientId = clientId;
            this.xid = xid;
        }
    }

    private static final int RECEIVE_BUFFER = 4 << 20;
    private static final int POLL_MILLIS = 20;

    private final NetworkNamespace namespace;
    private final DatagramSocket socket;
    private final String relayAddress;
    private final InetSocketAddress server;
    private final Duration timeout;
    private final Map<Integer, Exchange> inFlight = new ConcurrentHashMap<>();
    private final Map<String, String> acks = new ConcurrentHashMap<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final AtomicLong ackCount = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong naks = new AtomicLong();
    private final AtomicInteger nextXid;
    private final Thread receiver;
    private volatile Semaphore window = new Semaphore(0);
    private volatile Thread sender;
    private volatile boolean stopped;
    private volatile boolean closed;

    /**
     * @param timeout how long an exchange waits for each reply before it is abandoned (DISCOVER/REQUEST) or
     *                retried once (INIT-REBOOT)
     */
    RelayedClients(String ns, String relayAddress, String serverAddress, Duration timeout, int firstXid) {
        this.namespace = new NetworkNamespace(ns);
        this.relayAddress = relayAddress;
        this.server = new InetSocketAddress(serverAddress, 67);
        this.timeout = timeout;
        this.nextXid = new AtomicInteger(firstXid);
        this.socket = namespace.call(() -> {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(relayAddress), 67));
            s.setReceiveBufferSize(RECEIVE_BUFFER);
            s.setSoTimeout(POLL_MILLIS * 5);
            return s;
        });
        this.receiver = new Thread(this::receive, "relayed-clients-rx-" + relayAddress);
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    /**
     * Starts {@code clients} new clients (the i-th has MAC {@code macs.apply(i)}), each DISCOVER -> OFFER ->
     * REQUEST -> ACK, with at most {@code window} in flight, for at most {@code limit}; returns at once.
     */
    void start(IntFunction<String> macs, int clients, int window, Duration limit) {
        if (sender != null) {
            throw new IllegalStateException("already started");
        }
        this.window = new Semaphore(window);
        long end = System.nanoTime() + limit.toNanos();
        sender = new Thread(() -> {
            for (int i = 0; i < clients && !stopped && System.nanoTime() < end; i++) {
                if (!acquire(end)) {
                    break;
                }
                Exchange x = new Exchange(Kind.ACQUIRE, macs.apply(i), null, null, nextXid.getAndIncrement());
                x.deadline = System.nanoTime() + timeout.toNanos();
                inFlight.put(x.xid, x);
                send(ClientPacket.discover().mac(x.mac), x.xid);
            }
            while (!stopped && !inFlight.isEmpty() && System.nanoTime() < end) {
                expire();
                sleep(POLL_MILLIS);
            }
        }, "relayed-clients-tx-" + relayAddress);
        sender.setDaemon(true);
        sender.start();
    }

    private boolean acquire(long end) {
        try {
            while (!window.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                expire();
                if (stopped || System.nanoTime() >= end) {
                    return false;
                }
            }
            expire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Abandons exchanges past their deadline; an INIT-REBOOT is sent once more before it counts as silence. */
    private void expire() {
        long now = System.nanoTime();
        for (Exchange x : inFlight.values()) {
            if (now - x.deadline < 0) {
                continue;
            }
            if (x.kind == Kind.REBOOT && x.retries == 0) {
                x.retries = 1;
                x.deadline = now + timeout.toNanos();
                send(initRebootPacket(x), x.xid);
            } else if (inFlight.remove(x.xid, x)) {
                if (x.kind == Kind.REBOOT) {
                    answers.put(x.mac, Answer.SILENCE);
                } else {
                    timeouts.incrementAndGet();
                }
                window.release();
            }
        }
    }

    private void receive() {
        byte[] buffer = new byte[1500];
        while (!closed) {
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(in);
            } catch (SocketTimeoutException idle) {
                continue;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                throw new IllegalStateException(e);
            }
            DHCPPacket reply;
            try {
                reply = DHCPPacket.getPacket(in.getData(), in.getOffset(), in.getLength(), true);
            } catch (RuntimeException malformed) {
                continue; // not ours to judge here
            }
            Exchange x = inFlight.get(reply.getXid());
            if (x != null && reply.getDHCPMessageType() != null) {
                handle(x, reply);
            }
        }
    }

    private void handle(Exchange x, DHCPPacket reply) {
        byte type = reply.getDHCPMessageType();
        String yiaddr = reply.getYiaddr().getHostAddress();
        if (type == DhcpMessageType.OFFER.code() && x.kind == Kind.ACQUIRE && !x.requesting) {
            x.requesting = true;
            x.deadline = System.nanoTime() + timeout.toNanos();
            InetAddress serverId = reply.getOptionAsInetAddr(DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER);
            String chosen = serverId == null ? server.getAddress().getHostAddress() : serverId.getHostAddress();
            send(ClientPacket.request().mac(x.mac).serverId(chosen).requested(yiaddr), x.xid);
        } else if (type == DhcpMessageType.ACK.code() && (x.requesting || x.kind == Kind.REBOOT)) {
            if (inFlight.remove(x.xid, x)) {
                if (x.kind == Kind.ACQUIRE) {
                    acks.put(x.mac, yiaddr);
                    ackCount.incrementAndGet();
                } else {
                    answers.put(x.mac, new Answer("ack", yiaddr));
                }
                window.release();
            }
        } else if (type == DhcpMessageType.NAK.code() && inFlight.remove(x.xid, x)) {
            if (x.kind == Kind.REBOOT) {
                answers.put(x.mac, Answer.NAK);
            } else {
                naks.incrementAndGet();
            }
            window.release();
        }
    }

    private static ClientPacket initRebootPacket(Exchange x) {
        // RFC 2131 §4.3.2 INIT-REBOOT: requested address (option 50), no server identifier, ciaddr 0
        ClientPacket packet = ClientPacket.request().mac(x.mac).requested(x.requested);
        return x.clientId == null ? packet : packet.clientId(x.clientId);
    }

    private void send(ClientPacket packet, int xid) {
        byte[] bytes = packet.giaddr(relayAddress).xid(xid).bytes();
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, server));
        } catch (IOException e) {
            if (!closed) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops starting clients and abandons those in flight; ACKs received so far stay recorded. */
    void stop() {
        stopped = true;
        Thread s = sender;
        if (s != null) {
            try {
                s.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inFlight.clear();
    }

    /** How many ACKs the clients have received so far. */
    long ackCount() {
        return ackCount.get();
    }

    /** Exchanges started and not yet answered. */
    int inFlight() {
        return inFlight.size();
    }

    long timeouts() {
        return timeouts.get();
    }

    long naks() {
        return naks.get();
    }

    /** Every ACK received: MAC -> acknowledged address. */
    Map<String, String> acknowledged() {
        return new TreeMap<>(acks);
    }

    /**
     * Sends each client an INIT-REBOOT REQUEST for the address it holds, {@code window} at a time, and returns
     * what each got (by MAC). The server must ACK a client it knows and stay silent for one it has no record of
     * (RFC 2131 §4.3.2), so a lost lease shows as silence (or a NAK when another client holds the address).
     * Call after {@link #stop()}.
     */
    Map<String, Answer> initReboot(Collection<Holder> holders, int window) {
        if (sender != null && !stopped) {
            throw new IllegalStateException("stop the load first");
        }
        answers.clear();
        this.window = new Semaphore(window);
        long end = System.nanoTime() + timeout.toNanos() * (holders.size() + 4L);
        for (Holder holder : holders) {
            if (!acquire(end)) {
                throw new IllegalStateException("INIT-REBOOTs did not finish");
            }
            Exchange x = new Exchange(Kind.REBOOT, holder.mac(), holder.address(), holder.clientId(), nextXid.getAndIncrement());
            x.deadline = System.nanoTime() + timeout.toNanos();
            inFlight.put(x.xid, x);
            send(initRebootPacket(x), x.xid);
        }
        while (!inFlight.isEmpty() && System.nanoTime() < end) {
            expire();
            sleep(POLL_MILLIS);
        }
        return new TreeMap<>(answers);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        closed = true;
        socket.close();
        try {
            receiver.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        namespace.close();
    }
}
