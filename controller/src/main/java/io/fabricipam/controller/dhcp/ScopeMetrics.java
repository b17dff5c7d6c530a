package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.server.LeaseAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.ScopeState;
import io.fabricipam.dhcp.server.Utilization;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Utilization per scope for Prometheus, {@code fabric_scope_addresses{scope,state}} with state total,
 * bound, offered, reserved, declined and free, and {@code fabric_scope_used_ratio{scope}}. Counting looks
 * at every pool address, so it runs every 15 s on its own thread, never on a scrape.
 */
@Component
public class ScopeMetrics implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ScopeMetrics.class);

    private final ScopeDirectory directory;
    private final LeaseAdministration leases;
    private final MultiGauge addresses;
    private final MultiGauge usedRatio;
    private ScheduledExecutorService refresher;
    private volatile boolean running;

    public ScopeMetrics(ScopeDirectory directory, LeaseAdministration leases, MeterRegistry meters) {
        this.directory = directory;
        this.leases = leases;
        this.addresses = MultiGauge.builder("fabric.scope.addresses").description("addresses of each scope by state")
                .register(meters);
        this.usedRatio = MultiGauge.builder("fabric.scope.used.ratio").description("share of a scope's addresses in use")
                .register(meters);
    }

    void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        List<MultiGauge.Row<?>> ratios = new ArrayList<>();
        for (ScopeState state : directory.states()) {
            String name = state.scope().name();
            Utilization.Counts c;
            try {
                c = leases.utilization(state.scope().id()).scope();
            } catch (RuntimeException deleted) {
                continue; // removed meanwhile
            }
            rows.add(MultiGauge.Row.of(Tags.of("scope", name, "state", "total"), c.total()));
            rows.add(MultiGauge.Row.of(Tags.of("scope", name, "state", "bound"), c.bound()));
            rows.add(MultiGauge.Row.of(Tags.of("scope", name, "state", "offered"), c.offered()));
            rows.add(MultiGauge.Row.of(Tags.of("scope", name, "state", "reserved"), c.reserved()));
            rows.add(MultiGauge.Row.of(Tags.of("scope", name, "state", "declined"), c.declined()));
            rows.add(MultiGauge.Row.of(Tags.of("scope", name, "state", "free"), c.free()));
            ratios.add(MultiGauge.Row.of(Tags.of("scope", name), c.usedPercent() / 100));
        }
        addresses.register(rows, true);
        usedRatio.register(ratios, true);
    }

    @Override
    public void start() {
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scope-metrics");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                log.warn("scope metrics not refreshed", e);
            }
        }, 0, 15, TimeUnit.SECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DhcpLifecycle.PHASE + 50;
    }
}
