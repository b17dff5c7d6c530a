package io.fabricipam.controller.it;

import io.fabricipam.controller.linux.NetworkNamespace;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.dhcp4java.DHCPPacket;

/**
 * A DHCP relay agent as seen by the server: a UDP socket on port 67 of an address inside a lab namespace,
 * forwarding client messages with giaddr set and receiving the server's replies on port 67. One exchange
 * at a time per agent.
 */
public final class RelayAgent implements AutoCloseable {

    private final NetworkNamespace namespace;
    private final DatagramSocket socket;
    private final String address;
    private final InetSocketAddress server;

    public RelayAgent(String ns, String address, String serverAddress) {
        this.namespace = new NetworkNamespace(ns);
        this.address = address;
        this.server = new InetSocketAddress(serverAddress, 67);
        this.socket = namespace.call(() -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 67)));
    }

    public String address() {
        return address;
    }

    /** Sends {@code packet} (giaddr is set to this agent) and returns the reply with its xid, or null on timeout. */
    public DHCPPacket exchange(ClientPacket packet, int xid, Duration timeout) {
        byte[] bytes = packet.giaddr(address).xid(xid).bytes();
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            socket.send(new DatagramPacket(bytes, bytes.length, server));
            byte[] buf = new byte[1500];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                DHCPPacket reply = DHCPPacket.getPacket(in.getData(), in.getOffset(), in.getLength(), true);
                if (reply.getXid() == xid) {
                    return reply;
                }
            }
            return null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends without waiting for an answer (RELEASE, DECLINE, or garbage). */
    public void send(byte[] payload) {
        try {
            socket.send(new DatagramPacket(payload, payload.length, server));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
        namespace.close();
    }
}
