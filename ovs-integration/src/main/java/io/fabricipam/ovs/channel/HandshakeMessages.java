package io.fabricipam.ovs.channel;

import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;

/** Small messages the channel needs outside the handshake proper. */
final class HandshakeMessages {

    private HandshakeMessages() {
    }

    static OFBarrierRequest barrier() {
        return OfHandshake.OF13.buildBarrierRequest().build();
    }

    static OFEchoRequest echoRequest() {
        return OfHandshake.OF13.buildEchoRequest().setData(new byte[0]).build();
    }

    /** The reply in the request's own version, with its xid and data, as OpenFlow requires. */
    static OFEchoReply echoReply(OFEchoRequest request) {
        return org.projectfloodlight.openflow.protocol.OFFactories.getFactory(request.getVersion())
                .buildEchoReply().setXid(request.getXid()).setData(request.getData()).build();
    }
}
