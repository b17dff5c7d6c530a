package io.fabricipam.ovs.switches;

import io.fabricipam.ovs.pipeline.BridgePort;
import java.util.List;
import java.util.Map;

/** A switch's ports as of the last change, immutable, shared with the I/O threads (packet-in lookups). */
record PortSnapshot(Map<Integer, BridgePort> byOfport, List<PortView> views) {

    static final PortSnapshot EMPTY = new PortSnapshot(Map.of(), List.of());

    PortSnapshot {
        byOfport = Map.copyOf(byOfport);
        views = List.copyOf(views);
    }
}
