package io.fabricipam.ovs.channel;

import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortStatus;

/**
 * What the OpenFlow channel reports about switches, called on Netty I/O threads: implementations must
 * only hand work over (to a switch's own executor, a queue), never block.
 */
public interface SwitchEvents {

    /** The handshake finished: the connection is ready for flow-mods. */
    void connected(SwitchConnection connection, HandshakeResult handshake);

    /** A ready connection closed (by either side). */
    void disconnected(SwitchConnection connection);

    void packetIn(SwitchConnection connection, OFPacketIn packetIn);

    void portStatus(SwitchConnection connection, OFPortStatus status);

    /** An ERROR that answers no pending request of ours (e.g. a refused flow-mod). */
    void error(SwitchConnection connection, OFErrorMsg error);
}
