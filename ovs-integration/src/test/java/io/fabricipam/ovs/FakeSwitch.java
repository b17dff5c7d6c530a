package io.fabricipam.ovs;

import io.fabricipam.ovs.flow.FlowKey;
import io.fabricipam.ovs.flow.FlowSpec;
import io.fabricipam.ovs.flow.OfFlowMods;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterFeaturesStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFAuxId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * A stand-in OpenFlow 1.3 switch over a real TCP socket, for unit tests of the controller without OVS:
 * handshakes, keeps a flow table (adds and strict deletes, read back by flow-stats), has no meters,
 * and records everything it receives.
 */
final class FakeSwitch implements AutoCloseable {

    static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

    private final long dpid;
    private final List<OFPortDesc> ports;
    private final Socket socket = new Socket();
    private final Map<FlowKey, FlowSpec> table = new ConcurrentHashMap<>();
    final List<OFMessage> received = new CopyOnWriteArrayList<>();
    private volatile boolean closedByPeer;
    private Thread reader;

    FakeSwitch(long dpid, List<OFPortDesc> ports) {
        this.dpid = dpid;
        this.ports = ports;
    }

    FakeSwitch connect(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        send(OF13.buildHello().setXid(1).build());
        reader = new Thread(this::read, "fake-switch-" + dpid);
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    static OFPortDesc port(int number, String name) {
        return OF13.buildPortDesc().setPortNo(OFPort.of(number)).setName(name)
                .setHwAddr(org.projectfloodlight.openflow.types.MacAddress.of(0x020000000000L + number)).build();
    }

    List<FlowSpec> flows() {
        return List.copyOf(table.values());
    }

    boolean closedByPeer() {
        return closedByPeer;
    }

    int localPort() {
        return socket.getLocalPort();
    }

    synchronized void send(OFMessage message) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        message.writeTo(buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private void read() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                byte[] header = new byte[8];
                in.readFully(header);
                int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
                byte[] whole = new byte[length];
                System.arraycopy(header, 0, whole, 0, 8);
                in.readFully(whole, 8, length - 8);
                OFMessage message = OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(whole));
                received.add(message);
                answer(message);
            }
        } catch (EOFException e) {
            closedByPeer = true;
        } catch (Exception e) {
            closedByPeer = !socket.isClosed();
        }
    }

    private void answer(OFMessage m) throws IOException {
        long xid = m.getXid();
        if (m instanceof OFHello) {
            return;
        }
        if (m instanceof OFEchoRequest echo) {
            send(OF13.buildEchoReply().setXid(xid).setData(echo.getData()).build());
        } else if (m instanceof OFFeaturesRequest) {
            send(OF13.buildFeaturesReply().setXid(xid).setDatapathId(DatapathId.of(dpid)).setNBuffers(0)
                    .setNTables((short) 254).setAuxiliaryId(OFAuxId.MAIN).build());
        } else if (m instanceof OFPortDescStatsRequest) {
            send(OF13.buildPortDescStatsReply().setXid(xid).setEntries(ports).build());
        } else if (m instanceof OFBarrierRequest) {
            send(OF13.buildBarrierReply().setXid(xid).build());
        } else if (m instanceof OFMeterFeaturesStatsRequest) {
            send(OF13.buildMeterFeaturesStatsReply().setXid(xid)
                    .setFeatures(OF13.buildMeterFeatures().setMaxMeter(0).build()).build());
        } else if (m instanceof OFFlowStatsRequest) {
            List<OFFlowStatsEntry> entries = new ArrayList<>();
            for (FlowSpec f : table.values()) {
                OFFlowAdd add = OfFlowMods.add(f);
                entries.add(OF13.buildFlowStatsEntry().setTableId(add.getTableId()).setPriority(add.getPriority())
                        .setCookie(add.getCookie()).setMatch(add.getMatch()).setInstructions(add.getInstructions())
                        .setPacketCount(U64.of(7)).setByteCount(U64.of(700)).build());
            }
            send(OF13.buildFlowStatsReply().setXid(xid).setEntries(entries).build());
        } else if (m instanceof OFFlowAdd add) {
            OfFlowMods.read(asEntry(add)).ifPresent(f -> table.put(f.key(), f));
        } else if (m instanceof OFFlowDeleteStrict delete) {
            table.values().removeIf(f -> f.priority() == delete.getPriority()
                    && OfFlowMods.match(f.match()).equals(delete.getMatch()));
        }
    }

    private static OFFlowStatsEntry asEntry(OFFlowAdd add) {
        return OF13.buildFlowStatsEntry().setTableId(add.getTableId()).setPriority(add.getPriority())
                .setCookie(add.getCookie()).setMatch(add.getMatch()).setInstructions(add.getInstructions()).build();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        if (reader != null) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
