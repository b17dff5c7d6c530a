package io.fabricipam.ovs.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * Our channel pipeline on an {@link EmbeddedChannel}, seen from the switch's side of the wire: bytes in,
 * bytes out, both through openflowj, so the framing and codec run exactly as over TCP.
 */
final class SwitchWire {

    final EmbeddedChannel channel;
    final RecordingEvents events = new RecordingEvents();

    SwitchWire(Duration handshakeTimeout, int echoMisses) {
        channel = new EmbeddedChannel(OfMessageDecoder.framer(), new OfMessageDecoder(new LongAdder()),
                OfMessageEncoder.INSTANCE,
                new OfChannelHandler(events, Clock.systemUTC(), handshakeTimeout, echoMisses, 2000, false));
        // from here on only advanceTimeBy moves the channel's clock
        channel.freezeTime();
    }

    /** What the switch sends, as it appears on the wire (one buffer with possibly several messages). */
    void fromSwitch(OFMessage... messages) {
        ByteBuf buf = Unpooled.buffer();
        for (OFMessage m : messages) {
            m.writeTo(buf);
        }
        channel.writeInbound(buf);
        channel.runPendingTasks();
    }

    /** Everything the controller has written since the last call, decoded. */
    List<OFMessage> toSwitch() {
        List<OFMessage> out = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            try {
                while (buf.isReadable()) {
                    out.add(OFFactories.getGenericReader().readFrom(buf));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                buf.release();
            }
        }
        return out;
    }
}
