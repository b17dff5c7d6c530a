package io.fabricipam.ovs.switches;

import io.fabricipam.ovs.pipeline.BridgePort;
import io.fabricipam.ovs.port.PortBinding;
import io.fabricipam.ovs.port.PortClassifier;
import io.fabricipam.ovs.port.PortRole;
import io.fabricipam.ovs.port.TaggedVlans;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Joins the switch's port list (which ports exist, their numbers) with the bindings from OVSDB (what
 * they are) by name. The switch is authoritative for existence and numbers: OVSDB's ofport can lag.
 */
final class BridgePorts {

    /** OVS shows the bridge's own port as LOCAL; OpenFlow 1.0's number for it keeps it printable. */
    static final int LOCAL_PORT_NUMBER = 0xfffe;

    private BridgePorts() {
    }

    /**
     * @param meters     give each guest port a meter (its id is the port number, unique per bridge)
     * @param maxMeterId the switch's highest meter id; ports above it go without meter
     */
    static PortSnapshot assemble(Collection<OFPortDesc> ofPorts, Map<String, PortBinding> bindings,
                                 PortClassifier classifier, boolean meters, long maxMeterId, Set<Integer> managedVlans) {
        List<OFPortDesc> sorted = new ArrayList<>(ofPorts);
        sorted.sort(Comparator.comparingInt(d -> d.getPortNo().getPortNumber()));
        Map<Integer, BridgePort> byOfport = new HashMap<>();
        List<PortView> views = new ArrayList<>();
        for (OFPortDesc desc : sorted) {
            BridgePort port = bridgePort(desc, bindings, classifier, meters, maxMeterId);
            byOfport.put(port.ofport(), port);
            boolean intercepted = port.role() == PortRole.GUEST
                    && (managedVlans.contains(port.vlan()) || managedVlans.stream().anyMatch(v -> v != 0 && port.tagged().carries(v)));
            views.add(new PortView(port.ofport(), port.name(), port.role(), port.vlan(), port.tagged().toString(),
                    port.attachedMac() == null ? null : port.attachedMac().toString(),
                    !desc.getState().contains(OFPortState.LINK_DOWN), !desc.getConfig().contains(OFPortConfig.PORT_DOWN),
                    intercepted));
        }
        views.sort(Comparator.comparingInt(PortView::ofport));
        return new PortSnapshot(byOfport, views);
    }

    private static BridgePort bridgePort(OFPortDesc desc, Map<String, PortBinding> bindings, PortClassifier classifier,
                                         boolean meters, long maxMeterId) {
        String name = desc.getName();
        if (desc.getPortNo().equals(OFPort.LOCAL)) {
            return BridgePort.infrastructure(LOCAL_PORT_NUMBER, name, PortRole.LOCAL);
        }
        int number = desc.getPortNo().getPortNumber();
        PortBinding binding = bindings.get(name);
        if (binding == null) {
            return new BridgePort(number, name, classifier.classifyUnknown(name), 0, TaggedVlans.NONE, null, 0);
        }
        long meter = meters && binding.role() == PortRole.GUEST && number > 0 && number <= maxMeterId ? number : 0;
        return new BridgePort(number, name, binding.role(), binding.vlan(), binding.tagged(), binding.attachedMac(), meter);
    }
}
