package io.fabricipam.ovs.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenFlow message per frame (the frame decoder in front cuts the stream at the header's length).
 * A message openflowj cannot parse is skipped and counted, not fatal: the framing is intact, and a
 * switch sending one odd vendor message should not lose its connection for it.
 */
final class OfMessageDecoder extends MessageToMessageDecoder<ByteBuf> {

    private static final Logger log = LoggerFactory.getLogger(OfMessageDecoder.class);
    private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();

    private final LongAdder unparseable;

    OfMessageDecoder(LongAdder unparseable) {
        this.unparseable = unparseable;
    }

    /** Frames on the OpenFlow header: 2-byte length at offset 2 that includes the 4 bytes before it. */
    static LengthFieldBasedFrameDecoder framer() {
        return new LengthFieldBasedFrameDecoder(0xffff, 2, 2, -4, 0);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int start = frame.readerIndex();
        try {
            OFMessage message = READER.readFrom(frame);
            if (message != null) {
                out.add(message);
            }
        } catch (OFParseError | RuntimeException e) {
            unparseable.increment();
            log.debug("{}: skipped an unparseable OpenFlow message (type {}): {}", ctx.channel().remoteAddress(),
                    frame.getUnsignedByte(start + 1), e.toString());
        }
    }
}
