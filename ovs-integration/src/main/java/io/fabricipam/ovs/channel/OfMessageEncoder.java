package io.fabricipam.ovs.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** Writes openflowj messages as they are; stateless, so one instance serves every channel. */
@ChannelHandler.Sharable
final class OfMessageEncoder extends MessageToByteEncoder<OFMessage> {

    static final OfMessageEncoder INSTANCE = new OfMessageEncoder();

    private OfMessageEncoder() {
        super(OFMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OFMessage message, ByteBuf out) {
        message.writeTo(out);
    }
}
