package io.fabricipam.ovs.switches;

import io.fabricipam.ovs.pipeline.PuntPolicy;
import io.fabricipam.ovs.pipeline.ServerAddresses;
import io.fabricipam.ovs.pipeline.TunnelRouting;
import io.fabricipam.ovs.port.PortBindingSource;
import io.fabricipam.ovs.port.PortClassifier;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What every switch's pipeline depends on besides its own ports: shared, read by the flow threads.
 * Only the managed VLANs and the server addresses change at run time (the application's scopes decide them),
 * and in a multi-host fabric the tunnel routing (who leads).
 */
final class PipelineContext {

    final PuntPolicy policy;
    final boolean metersEnabled;
    final PortClassifier classifier;
    final PortBindingSource bindings;
    final Duration requestTimeout;
    private volatile Set<Integer> managedVlans = Set.of();
    private volatile ServerAddresses serverAddresses = ServerAddresses.NONE;
    private volatile TunnelRouting tunnel;

    PipelineContext(PuntPolicy policy, boolean metersEnabled, PortClassifier classifier, PortBindingSource bindings,
                    Duration requestTimeout) {
        this.policy = policy;
        this.metersEnabled = metersEnabled;
        this.classifier = classifier;
        this.bindings = bindings;
        this.requestTimeout = requestTimeout;
    }

    Set<Integer> managedVlans() {
        return managedVlans;
    }

    void managedVlans(Set<Integer> vlans) {
        for (int v : vlans) {
            if (v < 0 || v > 4094) {
                throw new IllegalArgumentException("VLAN out of range: " + v);
            }
        }
        this.managedVlans = Set.copyOf(vlans);
    }

    ServerAddresses serverAddresses() {
        return serverAddresses;
    }

    void serverAddresses(ServerAddresses addresses) {
        this.serverAddresses = Objects.requireNonNull(addresses, "addresses");
    }

    /** The multi-host routing, or null on a single host (the pipeline is then {@code PuntFlows} alone). */
    TunnelRouting tunnel() {
        return tunnel;
    }

    void tunnel(TunnelRouting routing) {
        this.tunnel = routing;
    }
}
