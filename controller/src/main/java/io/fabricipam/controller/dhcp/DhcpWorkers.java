package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.server.DhcpListener;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The bounded pool every front end hands DHCP requests to: I/O threads only enqueue, workers decode and
 * ask the core. A full queue drops the request and counts it as queue-full: back-pressure, not an OOM.
 */
@Component
public class DhcpWorkers implements DisposableBean {

    private final ThreadPoolExecutor pool;
    private final DhcpListener listener;

    public DhcpWorkers(DhcpProperties properties, DhcpListener listener) {
        int n = properties.effectiveWorkers();
        this.pool = new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.queueCapacity()),
                new DefaultThreadFactory("dhcp-worker", true), new ThreadPoolExecutor.AbortPolicy());
        this.listener = listener;
    }

    /** Queues {@code task}; when the queue is full the request is dropped and counted, and false returned. */
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

    @Override
    public void destroy() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.SECONDS);
    }
}
