package io.fabricipam.controller.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.server.DhcpListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeferredDhcpListenerTest {

    /** Records what reaches it, as the metrics would count it. */
    static final class Recorder implements DhcpListener {
        final List<String> events = new ArrayList<>();
        final AtomicLong count = new AtomicLong();

        @Override
        public synchronized void received(DhcpMessageType type) {
            events.add("received " + type);
            count.incrementAndGet();
        }

        @Override
        public synchronized void dropped(DropReason reason) {
            events.add("dropped " + reason.tag());
            count.incrementAndGet();
        }

        @Override
        public synchronized void replied(DhcpMessageType type, long latencyNanos) {
            events.add("replied " + type + " " + latencyNanos);
            count.incrementAndGet();
        }

        @Override
        public synchronized void optionOmitted(int code) {
            events.add("omitted " + code);
            count.incrementAndGet();
        }
    }

    @Test
    void whatHappensBeforeTheMetricsExistIsHandedOverWithItsLatencies() {
        DeferredDhcpListener deferred = new DeferredDhcpListener();
        deferred.received(DhcpMessageType.DISCOVER);
        deferred.replied(DhcpMessageType.OFFER, 1_500_000);
        deferred.received(DhcpMessageType.REQUEST);
        deferred.replied(DhcpMessageType.ACK, 2_000_000);
        deferred.dropped(DropReason.NO_SCOPE);
        deferred.optionOmitted(252);
        Recorder metrics = new Recorder();

        deferred.attach(metrics);
        deferred.received(DhcpMessageType.RELEASE);

        assertThat(metrics.events).containsExactlyInAnyOrder("received DISCOVER", "received REQUEST", "replied OFFER 1500000",
                "replied ACK 2000000", "dropped " + DropReason.NO_SCOPE.tag(), "omitted 252", "received RELEASE");
    }

    @Test
    void attachesOnce() {
        DeferredDhcpListener deferred = new DeferredDhcpListener();
        deferred.attach(new Recorder());
        assertThatThrownBy(() -> deferred.attach(new Recorder())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void noEventIsLostOrCountedTwiceWhileTheMetricsAttach() throws Exception {
        DeferredDhcpListener deferred = new DeferredDhcpListener();
        Recorder metrics = new Recorder();
        int threads = 4;
        int perThread = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    deferred.received(DhcpMessageType.DISCOVER);
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        Thread.sleep(2); // some before, most after
        deferred.attach(metrics);
        for (Thread w : workers) {
            w.join();
        }

        assertThat(metrics.count.get()).isEqualTo((long) threads * perThread);
    }
}
