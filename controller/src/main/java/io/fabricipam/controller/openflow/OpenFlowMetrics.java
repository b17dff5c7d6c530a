package io.fabricipam.controller.openflow;

import io.fabricipam.ovs.OpenFlowController;
import io.fabricipam.ovs.punt.PuntCounters;
import io.fabricipam.ovs.punt.PuntDrop;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Component;

/**
 * The OpenFlow punt path for Prometheus, read from the controller's counters when scraped:
 * {@code fabric_openflow_punted_total} (DHCP handed to the server core), {@code fabric_openflow_punt_drops_total{reason}}
 * (packet-ins refused before the core: malformed frames, foreign MACs, unmanaged VLANs, ...),
 * {@code fabric_openflow_arp_replies_total} and {@code fabric_openflow_packet_outs_total{result}}.
 * DHCP-level drops (a frame that decodes but holds a bad DHCP message) are {@code fabric_dhcp_drops_total}.
 */
@Component
class OpenFlowMetrics implements MeterBinder {

    private final OpenFlowFrontEnd openFlow;

    OpenFlowMetrics(OpenFlowFrontEnd openFlow) {
        this.openFlow = openFlow;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter("fabric.openflow.punted", "guest DHCP requests handed to the DHCP server", PuntCounters::handedCount)
                .register(registry);
        counter("fabric.openflow.arp.replies", "ARP requests for a server identifier answered",
                PuntCounters::arpAnsweredCount).register(registry);
        counter("fabric.openflow.packet.outs", "packet-outs sent", PuntCounters::packetOutCount)
                .tag("result", "sent").register(registry);
        counter("fabric.openflow.packet.outs", "packet-outs refused because the switch had left",
                PuntCounters::packetOutRefusedCount).tag("result", "refused").register(registry);
        for (PuntDrop reason : PuntDrop.values()) {
            counter("fabric.openflow.punt.drops", "packet-ins dropped before the DHCP server, by reason",
                    c -> c.dropCount(reason)).tag("reason", reason.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .register(registry);
        }
    }

    private FunctionCounter.Builder<OpenFlowFrontEnd> counter(String name, String description, ToLongFunction<PuntCounters> read) {
        return FunctionCounter.builder(name, openFlow, f -> {
            OpenFlowController of = f.controller();
            return of == null ? 0 : read.applyAsLong(of.counters());
        }).description(description);
    }
}
