package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.journal.JournalService;
import io.fabricipam.dhcp.server.DhcpListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * DHCP counters for Prometheus: {@code fabric_dhcp_messages_total{type}}, {@code fabric_dhcp_replies_total{type}},
 * {@code fabric_dhcp_drops_total{reason}}, {@code fabric_dhcp_options_omitted_total} and the
 * request-to-reply latency histogram {@code fabric_dhcp_reply_latency_seconds}. Meters are created once,
 * so the hot path only increments. The lease journal's {@code fabric_dhcp_journal_unstored} (acknowledged
 * changes the database refused, kept by the journal: alert on it above 0) and
 * {@code fabric_dhcp_journal_dropped_total} (changes of deleted scopes, dropped) are read when scraped.
 */
@Component
public class DhcpMetrics implements DhcpListener {

    private final Counter[] received = new Counter[256];
    private final Counter[] replied = new Counter[256];
    private final Timer[] latency = new Timer[256];
    private final Counter[] dropped = new Counter[DropReason.values().length];
    private final Counter omitted;

    public DhcpMetrics(MeterRegistry registry, JournalService journal) {
        Gauge.builder("fabric.dhcp.journal.unstored", journal, j -> j.status().unstored())
                .description("acknowledged lease changes the database refused, kept in the journal's dead-letter file")
                .register(registry);
        FunctionCounter.builder("fabric.dhcp.journal.dropped", journal, j -> j.status().dropped())
                .description("lease changes dropped because their scope was deleted (their events are kept)")
                .register(registry);
        for (int code = 1; code <= 8; code++) {
            String type = new DhcpMessageType(code).name().toLowerCase();
            received[code] = Counter.builder("fabric.dhcp.messages").description("DHCP messages received, by type")
                    .tag("type", type).register(registry);
            replied[code] = Counter.builder("fabric.dhcp.replies").description("DHCP replies sent, by type")
                    .tag("type", type).register(registry);
            latency[code] = Timer.builder("fabric.dhcp.reply.latency").description("time from request to reply")
                    .tag("type", type).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(2))
                    .register(registry);
        }
        for (DropReason reason : DropReason.values()) {
            dropped[reason.ordinal()] = Counter.builder("fabric.dhcp.drops").description("DHCP requests not answered, by reason")
                    .tag("reason", reason.tag()).register(registry);
        }
        omitted = Counter.builder("fabric.dhcp.options.omitted")
                .description("options left out because the reply would exceed the client's size limit").register(registry);
    }

    @Override
    public void received(DhcpMessageType type) {
        Counter c = received[type.code()];
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void dropped(DropReason reason) {
        dropped[reason.ordinal()].increment();
    }

    @Override
    public void replied(DhcpMessageType type, long latencyNanos) {
        Counter c = replied[type.code()];
        if (c != null) {
            c.increment();
            latency[type.code()].record(latencyNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void optionOmitted(int code) {
        omitted.increment();
    }

    public double drops(DropReason reason) {
        return dropped[reason.ordinal()].count();
    }
}
