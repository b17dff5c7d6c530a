package io.fabricipam.ovs.channel;

import java.util.List;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortStatus;

/**
 * What the handshake learnt about a switch: its datapath id, table count, and its ports as of the
 * PORT_DESC reply, followed by the PORT_STATUS messages that arrived during the handshake (in order) so
 * none is lost between the port list and the switch becoming ready.
 */
public record HandshakeResult(long datapathId, long buffers, int tables, List<OFPortDesc> ports,
                              List<OFPortStatus> laterPortChanges) {

    public HandshakeResult {
        ports = List.copyOf(ports);
        laterPortChanges = List.copyOf(laterPortChanges);
    }
}
