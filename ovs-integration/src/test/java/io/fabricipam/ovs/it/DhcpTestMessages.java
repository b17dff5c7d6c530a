package io.fabricipam.ovs.it;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * Just enough BOOTP/DHCP for the tests to play server to udhcpc: read the request's xid, chaddr and
 * message type, and build an OFFER or ACK. The real server lives in the dhcp module, which this module
 * must not depend on.
 */
final class DhcpTestMessages {

    static final int DISCOVER = 1;
    static final int OFFER = 2;
    static final int REQUEST = 3;
    static final int ACK = 5;

    private DhcpTestMessages() {
    }

    static int messageType(byte[] payload) {
        if (payload.length < 240) {
            return -1;
        }
        int i = 240;
        while (i + 1 < payload.length) {
            int code = payload[i] & 0xff;
            if (code == 255) {
                break;
            }
            if (code == 0) {
                i++;
                continue;
            }
            int len = payload[i + 1] & 0xff;
            if (code == 53 && len == 1 && i + 2 < payload.length) {
                return payload[i + 2] & 0xff;
            }
            i += 2 + len;
        }
        return -1;
    }

    /** A bare DHCPDISCOVER from {@code mac}, as a raw-socket client would send it. */
    static byte[] discover(byte[] mac, int xid) {
        ByteBuffer b = ByteBuffer.allocate(300);
        b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0);
        b.putInt(xid);
        b.putShort((short) 0);
        b.putShort((short) 0x8000);            // broadcast flag
        b.put(new byte[16]);                   // ciaddr, yiaddr, siaddr, giaddr
        b.put(mac).put(new byte[10]);
        b.put(new byte[64 + 128]);
        b.put(new byte[] {99, (byte) 130, 83, 99});
        b.put(new byte[] {53, 1, DISCOVER});
        b.put((byte) 255);
        return b.array();
    }

    static byte[] reply(byte[] request, int type, Inet4Address yiaddr, Inet4Address server) {
        ByteBuffer b = ByteBuffer.allocate(300);
        b.put((byte) 2).put((byte) 1).put((byte) 6).put((byte) 0);
        b.put(request, 4, 4);                  // xid
        b.putShort((short) 0);                 // secs
        b.put(request, 10, 2);                 // flags, as the client sent them
        b.putInt(0);                           // ciaddr
        b.put(yiaddr.getAddress());
        b.putInt(0);                           // siaddr
        b.putInt(0);                           // giaddr
        b.put(request, 28, 16);                // chaddr
        b.put(new byte[64 + 128]);             // sname, file
        b.put(new byte[] {99, (byte) 130, 83, 99});
        b.put(new byte[] {53, 1, (byte) type});
        b.put((byte) 54).put((byte) 4).put(server.getAddress());
        b.put(new byte[] {51, 4, 0, 0, 0x0e, 0x10});          // one hour
        b.put(new byte[] {1, 4, (byte) 255, (byte) 255, (byte) 255, 0});
        b.put((byte) 255);
        while (b.position() < 300) {
            b.put((byte) 0);
        }
        return b.array();
    }
}
