package io.fabricipam.ovs.switches;

import java.time.Instant;
import java.util.List;

/**
 * A connected switch for the read model ({@code GET /api/v1/switches}).
 *
 * @param datapathId    as OVSDB's {@code Bridge.datapath_id} prints it (16 hex digits)
 * @param remoteAddress the switch's end of the OpenFlow connection
 * @param flowState     whether it holds our intended flows
 */
public record SwitchView(long dpid, String datapathId, String remoteAddress, Instant connectedSince,
                         FlowState flowState, List<PortView> ports) {

    public SwitchView {
        ports = List.copyOf(ports);
    }
}
