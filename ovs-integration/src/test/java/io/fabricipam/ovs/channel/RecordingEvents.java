package io.fabricipam.ovs.channel;

import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortStatus;

/** Remembers what the channel reported; for unit tests only. */
final class RecordingEvents implements SwitchEvents {

    final List<HandshakeResult> connected = new ArrayList<>();
    final List<SwitchConnection> connections = new ArrayList<>();
    final List<SwitchConnection> disconnected = new ArrayList<>();
    final List<OFMessage> messages = new ArrayList<>();

    @Override
    public void connected(SwitchConnection connection, HandshakeResult handshake) {
        connections.add(connection);
        connected.add(handshake);
    }

    @Override
    public void disconnected(SwitchConnection connection) {
        disconnected.add(connection);
    }

    @Override
    public void packetIn(SwitchConnection connection, OFPacketIn packetIn) {
        messages.add(packetIn);
    }

    @Override
    public void portStatus(SwitchConnection connection, OFPortStatus status) {
        messages.add(status);
    }

    @Override
    public void error(SwitchConnection connection, OFErrorMsg error) {
        messages.add(error);
    }
}
