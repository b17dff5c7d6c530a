package io.fabricipam.ovs.it;

import io.fabricipam.ovs.punt.PuntedDhcp;
import io.fabricipam.ovs.punt.PuntedPacketHandler;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The application side for the tests: records every punted request and, when given a responder, runs it
 * on its own thread (as the real application must: the handler is called on an I/O thread).
 */
final class PuntedRecorder implements PuntedPacketHandler, AutoCloseable {

    private final ConcurrentLinkedQueue<PuntedDhcp> received = new ConcurrentLinkedQueue<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private volatile Consumer<PuntedDhcp> responder = p -> { };

    @Override
    public void onDhcp(PuntedDhcp packet) {
        received.add(packet);
        worker.execute(() -> responder.accept(packet));
    }

    void respondWith(Consumer<PuntedDhcp> next) {
        responder = next;
    }

    List<PuntedDhcp> received() {
        return List.copyOf(received);
    }

    List<PuntedDhcp> from(long dpid, int port) {
        return received.stream().filter(p -> p.datapathId() == dpid && p.inPort() == port).toList();
    }

    void clear() {
        received.clear();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
