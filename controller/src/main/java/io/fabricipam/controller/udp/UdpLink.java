package io.fabricipam.controller.udp;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One interface the UDP front end serves: its socket, our current IPv4 addresses on it, and its outbox.
 * Replies are completed on other threads, often many at once (a group commit releases a batch); they queue
 * here and one event-loop task writes them all and flushes once, so Netty sends them with one sendmmsg
 * instead of one syscall and one task each.
 */
final class UdpLink {

    final String interfaceName;
    final String seenOn;
    final Channel channel;
    private volatile List<Ipv4Address> addresses;
    private final Queue<DatagramPacket> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    UdpLink(String interfaceName, Channel channel, List<Ipv4Address> addresses) {
        this.interfaceName = interfaceName;
        this.seenOn = "udp:" + interfaceName;
        this.channel = channel;
        this.addresses = List.copyOf(addresses);
    }

    List<Ipv4Address> addresses() {
        return addresses;
    }

    void addresses(List<Ipv4Address> current) {
        this.addresses = List.copyOf(current);
    }

    /** Queues a reply; from any thread. */
    void send(DatagramPacket packet) {
        outbox.add(packet);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    /** On the event loop: everything queued, one flush. Clearing the flag first means a reply added meanwhile
     *  schedules the next drain itself. */
    private void drain() {
        drainScheduled.set(false);
        DatagramPacket p;
        while ((p = outbox.poll()) != null) {
            channel.write(p, channel.voidPromise());
        }
        channel.flush();
    }
}
