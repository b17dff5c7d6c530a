package io.fabricipam.dhcp.testing;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.RequestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Many DHCP clients at once through a {@link DhcpServer}, each doing DISCOVER then REQUEST of what it was
 * offered, as a test would see them: what each client ended with ({@code "ACK 10.20.0.101"}, a drop
 * reason, or {@code "no answer"} when it did not finish within the bound).
 */
public final class ParallelClients {

    public static final String NO_ANSWER = "no answer";
    private static final int THREADS = 8;

    private ParallelClients() {
    }

    /**
     * {@code count} clients with MACs {@code 02:00:00:PP:hh:ll} ({@code prefix} = PP) on the link of
     * {@code context}, answering the offer of {@code serverId}; waits at most {@code bound} for all of them.
     */
    public static List<String> exchange(DhcpServer server, RequestContext context, String serverId, int prefix, int count,
            Duration bound) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "test-client");
            t.setDaemon(true); // a client stuck on a lock must not keep the JVM alive
            return t;
        });
        try {
            List<Callable<String>> clients = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String mac = String.format("02:00:00:%02x:%02x:%02x", prefix, i >>> 8, i & 0xff);
                clients.add(() -> oneClient(server, context, serverId, mac));
            }
            List<Future<String>> done = pool.invokeAll(clients, bound.toMillis(), TimeUnit.MILLISECONDS);
            List<String> results = new ArrayList<>();
            for (Future<String> f : done) {
                try {
                    results.add(f.get());
                } catch (CancellationException | ExecutionException e) {
                    results.add(e instanceof CancellationException ? NO_ANSWER : "failed: " + e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String oneClient(DhcpServer server, RequestContext context, String serverId, String mac)
            throws Exception {
        DhcpServer.Outcome offer = server.handle(ClientPacket.discover().mac(mac).decoded(), context).get(60, TimeUnit.SECONDS);
        if (offer.reply() == null) {
            return String.valueOf(offer.dropped());
        }
        DhcpServer.Outcome ack = server.handle(ClientPacket.request().mac(mac).serverId(serverId)
                .requested(offer.reply().yiaddr().toString()).decoded(), context).get(60, TimeUnit.SECONDS);
        if (ack.reply() == null) {
            return String.valueOf(ack.dropped());
        }
        return (ack.reply().messageType() == DhcpMessageType.ACK ? "ACK " : ack.reply().messageType() + " ")
                + ack.reply().yiaddr();
    }
}
