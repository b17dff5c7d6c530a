package io.fabricipam.fabric.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback between one ZooKeeper client and its server, to fail the network the way a test
 * needs: {@link #cut()} closes every connection and refuses new ones (the client's process died: the server
 * sees the socket close but keeps the session until it expires), {@link #blackhole()} keeps the sockets open
 * and silently drops every byte both ways (a partition: neither side hears anything, nobody sees a close);
 * {@link #heal()} ends the partition.
 */
final class BlackholeProxy implements Closeable {

    private enum Mode { FORWARD, BLACKHOLE, CUT }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FORWARD;

    BlackholeProxy(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code 127.0.0.1:port} of the relay, for a connect string. */
    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    void cut() {
        mode = Mode.CUT;
        closeAll();
    }

    void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /** Forwards again; connections that lost bytes in the black hole are closed, so clients start clean ones. */
    void heal() {
        closeAll();
        mode = Mode.FORWARD;
    }

    @Override
    public void close() throws IOException {
        mode = Mode.CUT;
        listener.close();
        closeAll();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            if (mode == Mode.CUT) {
                quietly(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(target, 2000);
                sockets.add(client);
                sockets.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                quietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (mode == Mode.FORWARD) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException closed) {
                // either side closed, or cut()
            } finally {
                if (mode != Mode.BLACKHOLE) {
                    quietly(from);
                    quietly(to);
                }
            }
        }, "proxy-pump-" + listener.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    private void closeAll() {
        for (Socket socket : sockets) {
            quietly(socket);
        }
        sockets.clear();
    }

    private static void quietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
