package io.fabricipam.controller.openflow;

import io.fabricipam.ovs.OpenFlowController;
import io.fabricipam.ovs.switches.FlowState;
import io.fabricipam.ovs.switches.SwitchView;
import java.util.List;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "openflow": up while we listen for switches; details say how many are
 * connected, how many hold our intended flows, and whether OVSDB (port VLANs) is readable.
 */
@Component("openflow")
class OpenFlowHealthIndicator implements HealthIndicator {

    private final OpenFlowFrontEnd openFlow;
    private final OpenFlowProperties properties;

    OpenFlowHealthIndicator(OpenFlowFrontEnd openFlow, OpenFlowProperties properties) {
        this.openFlow = openFlow;
        this.properties = properties;
    }

    @Override
    public Health health() {
        if (!properties.enabled()) {
            return Health.up().withDetail("enabled", false).build();
        }
        OpenFlowController of = openFlow.controller();
        if (of == null) {
            return Health.down().withDetail("listening", false).build();
        }
        List<SwitchView> switches = of.switches();
        long synced = switches.stream().filter(s -> s.flowState() == FlowState.SYNCED).count();
        return Health.up().withDetail("port", of.boundPort())
                .withDetail("switches", switches.size())
                .withDetail("switchesInSync", synced)
                .withDetail("ovsdbConnected", of.portBindingsConnected())
                .withDetail("managedVlans", of.managedVlans())
                .build();
    }
}
