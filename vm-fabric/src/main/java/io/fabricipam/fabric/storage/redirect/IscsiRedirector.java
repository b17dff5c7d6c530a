package io.fabricipam.fabric.storage.redirect;

import io.fabricipam.fabric.storage.iscsi.DeadlineInputStream;
import io.fabricipam.fabric.storage.iscsi.IscsiCodec;
import io.fabricipam.fabric.storage.iscsi.IscsiPdu;
import io.fabricipam.fabric.storage.iscsi.IscsiProtocolException;
import io.fabricipam.fabric.storage.target.Portal;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iSCSI portal QEMU is pointed at (127.0.0.1:3261 by default): it answers every normal
 * login with a redirect to the target {@link LoginRouter} chooses and serves discovery itself.
 *
 * <p>Plain blocking sockets, one thread per connection, at most {@code maxConnections} of them
 * (more are closed at accept): a login is one or two small PDUs and a few milliseconds, so
 * threads are cheap here and keep each conversation straight-line. Every read runs against a
 * deadline (login timeout, then idle timeout) and every data segment against a size limit, so
 * a slow, silent, malformed or vanishing client costs one thread for a bounded time and nothing
 * else. {@link LoginConversation} decides what to say.
 */
public final class IscsiRedirector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IscsiRedirector.class);

    private final RedirectorSettings settings;
    private final LoginRouter router;
    private final SessionLog sessions;
    private final Clock clock;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong overLimit = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong disconnected = new AtomicLong();
    private final AtomicInteger active = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private Thread acceptor;
    private Portal advertised;
    private volatile boolean running;

    public IscsiRedirector(RedirectorSettings settings, LoginRouter router, SessionLog sessions, Clock clock) {
        this.settings = settings;
        this.router = router;
        this.sessions = sessions;
        this.clock = clock;
        this.slots = new Semaphore(settings.maxConnections());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "iscsi-redirector-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds the listener and starts accepting; fails (and leaves nothing running) if the address is taken. */
    public synchronized void start() throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(settings.listen().host(), settings.listen().port()), 128);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + settings.listen() + ": " + e.getMessage(), e);
        }
        server = socket;
        Portal wanted = settings.advertised();
        advertised = wanted.port() == 0 ? new Portal(wanted.host(), socket.getLocalPort()) : wanted;
        running = true;
        acceptor = new Thread(this::acceptLoop, "iscsi-redirector-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("iSCSI redirector listening on {} (discovery names {})", listenAddress(), advertised);
    }

    public synchronized Portal listenAddress() {
        return server == null ? settings.listen() : new Portal(settings.listen().host(), server.getLocalPort());
    }

    private void acceptLoop() {
        while (running) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (running) {
                    log.warn("iSCSI redirector accept failed", e);
                    pause();
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                overLimit.incrementAndGet();
                closeQuietly(socket);
                continue;
            }
            accepted.incrementAndGet();
            try {
                workers.execute(() -> serve(socket));
            } catch (RuntimeException e) {
                slots.release();
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        active.incrementAndGet();
        open.add(socket);
        String client = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        LoginConversation conversation = new LoginConversation(router, advertised, client, clock, sessions::record,
                settings.maxDataSegment());
        try (socket) {
            socket.setTcpNoDelay(true);
            DeadlineInputStream in = new DeadlineInputStream(socket);
            OutputStream out = socket.getOutputStream();
            long loginDeadline = System.nanoTime() + settings.loginTimeout().toNanos();
            while (conversation.state() != LoginConversation.State.CLOSED) {
                boolean loggedIn = conversation.state() == LoginConversation.State.DISCOVERY_FULL_FEATURE;
                in.deadline(loggedIn ? System.nanoTime() + settings.idleTimeout().toNanos() : loginDeadline);
                Optional<IscsiPdu> pdu = IscsiCodec.read(in, settings.maxDataSegment());
                if (pdu.isEmpty()) {
                    conversation.abandon("client closed the connection");
                    break;
                }
                LoginConversation.Reply reply = conversation.onPdu(pdu.get());
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                reply.send().forEach(p -> batch.writeBytes(IscsiCodec.encode(p)));
                out.write(batch.toByteArray());
                out.flush();
                if (reply.close()) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            timedOut.incrementAndGet();
            conversation.abandon("timed out");
        } catch (EOFException e) {
            disconnected.incrementAndGet();
            conversation.abandon("client disconnected in the middle of a PDU");
        } catch (IscsiProtocolException e) {
            malformed.incrementAndGet();
            conversation.abandon("malformed PDU: " + e.getMessage());
        } catch (SocketException e) {
            disconnected.incrementAndGet();
            conversation.abandon("connection error: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("iSCSI redirector connection from {} failed", client, e);
            conversation.abandon("error: " + e);
        } finally {
            open.remove(socket);
            active.decrementAndGet();
            slots.release();
        }
    }

    public RedirectorStats stats() {
        return new RedirectorStats(accepted.get(), overLimit.get(), timedOut.get(), malformed.get(),
                disconnected.get(), active.get());
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do for a connection we refuse anyway
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                log.debug("closing the redirector listener", e);
            }
        }
        workers.shutdownNow();
        open.forEach(IscsiRedirector::closeQuietly); // a blocked read ignores interrupts, not a closed socket
        try {
            if (acceptor != null) {
                acceptor.join(2000);
            }
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
