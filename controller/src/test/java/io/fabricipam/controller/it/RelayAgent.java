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
import java.util.List;
import org.dhcp4java.DHCPPacket;

/**
 * A DHCP relay agent as seen by the server: a UDP socket on port 67 of an address inside a lab namespace,
 * forwarding client messages with giaddr set to its server, or to each of several (a relay configured with
 * several helper addresses, as in front of a cluster), and receiving the servers' replies on port 67. One
 * exchange at a time per agent; the first reply with the exchange's xid counts.
 */
public final class RelayAgent implements AutoCloseable {

    /** A reply and the address of the server that sent it. */
    public record Reply(DHCPPacket packet, String server) {
    }

    private final NetworkNamespace namespace;
    private final DatagramSocket socket;
    private final String address;
    private final List<InetSocketAddress> servers;

    public RelayAgent(String ns, String address, String serverAddress) {
        this(ns, address, List.of(serverAddress));
    }

    public RelayAgent(String ns, String address, List<String> serverAddresses) {
        this.namespace = new NetworkNamespace(ns);
        this.address = address;
        this.servers = serverAddresses.stream().map(s -> new InetSocketAddress(s, 67)).toList();
        this.socket = namespace.call(() -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 67)));
    }

    public String address() {
        return address;
    }

    /** Sends {@code packet} (giaddr is set to this agent) and returns the reply with its xid, or null on timeout. */
    public DHCPPacket exchange(ClientPacket packet, int xid, Duration timeout) {
        Reply reply = exchangeWithSource(packet, xid, timeout);
        return reply == null ? null : reply.packet();
    }

    /** As {@link #exchange}, with the server that answered; the packet goes to every server of this agent. */
    public Reply exchangeWithSource(ClientPacket packet, int xid, Duration timeout) {
        byte[] bytes = packet.giaddr(address).xid(xid).bytes();
        try {
            for (InetSocketAddress server : servers) {
                socket.send(new DatagramPacket(bytes, bytes.length, server));
            }
            byte[] buf = new byte[1500];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return null;
                }
                socket.setSoTimeout((int) left);
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                DHCPPacket reply = DHCPPacket.getPacket(in.getData(), in.getOffset(), in.getLength(), true);
                if (reply.getXid() == xid) {
                    return new Reply(reply, in.getAddress().getHostAddress());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends without waiting for an answer (RELEASE, DECLINE, or garbage), to every server of this agent. */
    public void send(byte[] payload) {
        try {
            for (InetSocketAddress server : servers) {
                socket.send(new DatagramPacket(payload, payload.length, server));
            }
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
