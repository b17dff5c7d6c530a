package io.fabricipam.ovs.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFHelloFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFAuxId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U32;

class OfHandshakeTest {

    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final SwitchWire wire = new SwitchWire(TIMEOUT, 3);

    @Test
    void walksHelloFeaturesPortDescConfigBarrierToReady() {
        OFHello ourHello = (OFHello) single(wire.toSwitch());
        assertThat(ourHello.getVersion()).isEqualTo(OFVersion.OF_13);
        assertThat(((OFHelloElemVersionbitmap) ourHello.getElements().get(0)).getBitmaps())
                .containsExactly(U32.of(1 << 4));

        wire.fromSwitch(OF13.buildHello().setXid(1).build());
        OFFeaturesRequest featuresRequest = (OFFeaturesRequest) single(wire.toSwitch());

        wire.fromSwitch(features(featuresRequest.getXid(), 0xabcdL, 0));
        OFPortDescStatsRequest portDesc = (OFPortDescStatsRequest) single(wire.toSwitch());

        wire.fromSwitch(
                OF13.buildPortDescStatsReply().setXid(portDesc.getXid())
                        .setFlags(EnumSet.of(OFStatsReplyFlags.REPLY_MORE)).setEntries(List.of(port(1, "vm1"))).build(),
                OF13.buildPortStatus().setXid(0).setReason(OFPortReason.ADD).setDesc(port(3, "vm3")).build(),
                OF13.buildPortDescStatsReply().setXid(portDesc.getXid()).setEntries(List.of(port(2, "vm2"))).build());
        List<OFMessage> config = wire.toSwitch();
        assertThat(config).extracting(OFMessage::getType).containsExactly(OFType.SET_CONFIG, OFType.BARRIER_REQUEST);
        assertThat(((OFSetConfig) config.get(0)).getMissSendLen()).isEqualTo(0xffff);
        assertThat(wire.events.connected).isEmpty();

        wire.fromSwitch(OF13.buildBarrierReply().setXid(config.get(1).getXid()).build());

        assertThat(wire.events.connected).hasSize(1);
        HandshakeResult result = wire.events.connected.get(0);
        assertThat(result.datapathId()).isEqualTo(0xabcdL);
        assertThat(result.ports()).extracting(OFPortDesc::getName).containsExactly("vm1", "vm2");
        assertThat(result.laterPortChanges()).extracting(s -> s.getDesc().getName()).containsExactly("vm3");
        assertThat(wire.events.connections.get(0).datapathId()).isEqualTo(0xabcdL);
        assertThat(wire.channel.isActive()).isTrue();
    }

    @Test
    void refusesAnOpenFlow10SwitchWithHelloFailedInItsOwnVersion() {
        wire.toSwitch();
        OFFactory of10 = OFFactories.getFactory(OFVersion.OF_10);

        wire.fromSwitch(of10.buildHello().setXid(7).build());

        OFHelloFailedErrorMsg error = (OFHelloFailedErrorMsg) single(wire.toSwitch());
        assertThat(error.getVersion()).isEqualTo(OFVersion.OF_10);
        assertThat(error.getXid()).isEqualTo(7);
        assertThat(wire.channel.isActive()).isFalse();
        assertThat(wire.events.connected).isEmpty();
    }

    @Test
    void negotiatesByBitmapWhenTheSwitchOffersSeveralVersions() {
        OFFactory of15 = OFFactories.getFactory(OFVersion.OF_15);
        assertThat(OfHandshake.offers13(of15.buildHello()
                .setElements(List.of(of15.helloElemVersionbitmap(List.of(U32.of((1 << 4) | (1 << 6))))))
                .build())).isTrue();
        assertThat(OfHandshake.offers13(of15.buildHello()
                .setElements(List.of(of15.helloElemVersionbitmap(List.of(U32.of((1 << 1) | (1 << 6))))))
                .build())).isFalse();
        assertThat(OfHandshake.offers13(of15.buildHello().build())).isTrue();
        assertThat(OfHandshake.offers13(OFFactories.getFactory(OFVersion.OF_12).buildHello().build())).isFalse();
    }

    @Test
    void dropsASwitchThatStallsInAnyState() {
        wire.toSwitch();
        wire.fromSwitch(OF13.buildHello().setXid(1).build());
        wire.toSwitch();

        wire.channel.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        wire.channel.runScheduledPendingTasks();
        assertThat(wire.channel.isActive()).isTrue();

        wire.channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        wire.channel.runScheduledPendingTasks();
        assertThat(wire.channel.isActive()).isFalse();
    }

    @Test
    void anErrorDuringTheHandshakeFailsIt() {
        wire.toSwitch();
        wire.fromSwitch(OF13.buildHello().setXid(1).build());
        long xid = single(wire.toSwitch()).getXid();

        wire.fromSwitch(OF13.errorMsgs().buildBadRequestErrorMsg().setXid(xid).setCode(OFBadRequestCode.BAD_TYPE).build());

        assertThat(wire.channel.isActive()).isFalse();
    }

    @Test
    void anAuxiliaryConnectionIsRefused() {
        wire.toSwitch();
        wire.fromSwitch(OF13.buildHello().setXid(1).build());
        long xid = single(wire.toSwitch()).getXid();

        wire.fromSwitch(features(xid, 1, 1));

        assertThat(wire.channel.isActive()).isFalse();
    }

    @Test
    void answersEchoInEveryStateWithTheSameXidAndData() {
        wire.toSwitch();
        wire.fromSwitch(OF13.buildEchoRequest().setXid(99).setData(new byte[] {1, 2, 3}).build());

        OFEchoReply reply = (OFEchoReply) single(wire.toSwitch());
        assertThat(reply.getXid()).isEqualTo(99);
        assertThat(reply.getData()).containsExactly(1, 2, 3);

        readySwitch();
        wire.fromSwitch(OF13.buildEchoRequest().setXid(100).setData(new byte[0]).build());
        assertThat(single(wire.toSwitch()).getXid()).isEqualTo(100);
    }

    @Test
    void sendsItsOwnEchoWhenIdleAndClosesAfterTooManyMisses() {
        readySwitch();
        for (int i = 0; i < 3; i++) {
            wire.channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
            assertThat(single(wire.toSwitch())).isInstanceOf(OFEchoRequest.class);
        }
        // an answer resets the count
        wire.fromSwitch(OF13.buildEchoReply().setXid(5).setData(new byte[0]).build());
        for (int i = 0; i < 3; i++) {
            wire.channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        }
        assertThat(wire.channel.isActive()).isTrue();

        wire.channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);

        assertThat(wire.channel.isActive()).isFalse();
        assertThat(wire.events.disconnected).hasSize(1);
    }

    @Test
    void afterReadyRepliesCompleteRequestsAndTheRestGoesToTheEvents() throws Exception {
        SwitchConnection connection = readySwitch();

        CompletableFuture<List<OFFlowStatsReply>> stats = connection.multipart(OF13.buildFlowStatsRequest().build());
        CompletableFuture<Void> barrier = connection.barrier();
        List<OFMessage> requests = wire.toSwitch();
        long statsXid = requests.get(0).getXid();
        assertThat(requests.get(1)).isInstanceOf(OFBarrierRequest.class);

        wire.fromSwitch(OF13.buildFlowStatsReply().setXid(statsXid).setFlags(Set.of(OFStatsReplyFlags.REPLY_MORE)).build());
        assertThat(stats).isNotDone();
        wire.fromSwitch(OF13.buildFlowStatsReply().setXid(statsXid).build(),
                OF13.buildBarrierReply().setXid(requests.get(1).getXid()).build(),
                OF13.buildPacketIn().setXid(0).setReason(OFPacketInReason.ACTION).setBufferId(OFBufferId.NO_BUFFER)
                        .setMatch(OF13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(2)).build())
                        .setData(new byte[] {1}).build(),
                OF13.errorMsgs().buildBadRequestErrorMsg().setXid(4242).setCode(OFBadRequestCode.BAD_TYPE).build());

        assertThat(stats.get()).hasSize(2);
        assertThat(barrier).isCompleted();
        assertThat(wire.events.messages).extracting(OFMessage::getType).containsExactly(OFType.PACKET_IN, OFType.ERROR);
    }

    @Test
    void pendingRequestsFailWhenTheConnectionCloses() {
        SwitchConnection connection = readySwitch();
        CompletableFuture<Void> barrier = connection.barrier();

        wire.channel.close();

        assertThat(barrier).isCompletedExceptionally();
        assertThat(wire.events.disconnected).containsExactly(connection);
    }

    @Test
    void pendingRequestsTimeOut() {
        SwitchConnection connection = readySwitch();
        CompletableFuture<Void> barrier = connection.barrier();

        wire.channel.advanceTimeBy(2001, TimeUnit.MILLISECONDS);
        wire.channel.runScheduledPendingTasks();

        assertThat(barrier).isCompletedExceptionally();
    }

    private SwitchConnection readySwitch() {
        wire.toSwitch();
        wire.fromSwitch(OF13.buildHello().setXid(1).build());
        wire.fromSwitch(features(single(wire.toSwitch()).getXid(), 0x1L, 0));
        wire.fromSwitch(OF13.buildPortDescStatsReply().setXid(single(wire.toSwitch()).getXid()).build());
        wire.fromSwitch(OF13.buildBarrierReply().setXid(wire.toSwitch().get(1).getXid()).build());
        assertThat(wire.events.connected).hasSize(1);
        return wire.events.connections.get(0);
    }

    private static OFMessage features(long xid, long dpid, int aux) {
        return OF13.buildFeaturesReply().setXid(xid).setDatapathId(DatapathId.of(dpid)).setNBuffers(0)
                .setNTables((short) 254).setAuxiliaryId(OFAuxId.of(aux)).build();
    }

    static OFPortDesc port(int number, String name) {
        return OF13.buildPortDesc().setPortNo(OFPort.of(number)).setName(name)
                .setHwAddr(org.projectfloodlight.openflow.types.MacAddress.of(0x020000000000L + number)).build();
    }

    private static OFMessage single(List<OFMessage> messages) {
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }
}
