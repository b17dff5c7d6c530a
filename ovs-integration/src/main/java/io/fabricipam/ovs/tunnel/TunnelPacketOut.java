package io.fabricipam.ovs.tunnel;

import io.fabricipam.ovs.flow.FlowAction;
import io.fabricipam.ovs.flow.OfFlowMods;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The leader's answer to a guest on another host: a packet-out that sends the reply frame back through
 * the flow-based VXLAN port to the host the request came from, with the request's own key. The origin
 * host's delivery flow for that key ({@link io.fabricipam.ovs.pipeline.TunnelFlows}) outputs it to the
 * one guest port that asked.
 */
public final class TunnelPacketOut {

    private TunnelPacketOut() {
    }

    /** The actions: {@code set_field:ORIGIN->tun_dst,set_field:KEY->tun_id,output:VX}. */
    public static List<FlowAction> actions(TunnelOrigin origin, int vxlanOfport) {
        return List.of(new FlowAction.SetTunnelDestination(origin.underlay()), new FlowAction.SetTunnelId(origin.tunId()),
                new FlowAction.Output(vxlanOfport));
    }

    public static OFPacketOut reply(TunnelOrigin origin, int vxlanOfport, byte[] frame) {
        return OfFlowMods.factory().buildPacketOut()
                .setBufferId(OFBufferId.NO_BUFFER)
                .setInPort(OFPort.CONTROLLER)
                .setActions(actions(origin, vxlanOfport).stream().map(OfFlowMods::action).toList())
                .setData(frame)
                .build();
    }
}
