package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.server.DhcpListener;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The bounded pool every front end hands DHCP requests to: I/O threads only enqueue, workers decode and
 * ask the core. A full queue drops the request and counts it as queue-full: back-pressure, not an OOM.
 * Part of {@link DhcpCore}, which drains it on stop.
 */
public final class DhcpWorkers {

    private final ThreadPoolExecutor pool;
    private final DhcpListener listener;

    public DhcpWorkers(DhcpProperties properties, DhcpListener listener) {
        int n = properties.effectiveWorkers();
        this.pool = new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.queueCapacity()),
                new DefaultThreadFactory("dhcp-worker", true), new ThreadPoolExecutor.AbortPolicy());
        this.listener = listener;
    }

    /** Queues {@code task}; when the queue is full (or the pool stopped) the request is dropped and counted. */
    public boolean submit(Runnable task) {
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException full) {
            listener.dropped(DropReason.QUEUE_FULL);
            return false;
        }
    }

    public int queued() {
        return pool.getQueue().size();
    }

    /** Takes no more requests and waits until the queued ones are done; false when some were still running. */
    public boolean drain(Duration timeout) {
        pool.shutdown();
        try {
            return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            pool.shutdownNow();
        }
    }
}
