package io.fabricipam.dhcp.codec;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Writes BOOTP/DHCP messages byte by byte, so that tests can build what no library would: wrong lengths,
 * split and repeated options, options in {@code file} and {@code sname}. Starts as a well-formed Ethernet
 * BOOTREQUEST with the magic cookie; options go out exactly as added, then END unless {@link #noEnd()}.
 */
final class RequestBytes {

    static final int SNAME_OFFSET = 44;
    static final int FILE_OFFSET = 108;
    static final MacAddress MAC = MacAddress.parse("02:00:5e:00:53:01");

    private final byte[] header = new byte[240];
    private final ByteArrayOutputStream options = new ByteArrayOutputStream();
    private boolean end = true;

    private RequestBytes() {
        header[0] = 1;
        header[1] = 1;
        header[2] = 6;
        xid(0x12345678);
        MAC.writeTo(header, 28);
        header[236] = 0x63;
        header[237] = (byte) 0x82;
        header[238] = 0x53;
        header[239] = 0x63;
    }

    /** A BOOTREQUEST with no options at all. */
    static RequestBytes bare() {
        return new RequestBytes();
    }

    /** A BOOTREQUEST whose first option is message type {@code type}. */
    static RequestBytes of(DhcpMessageType type) {
        return new RequestBytes().option(DhcpOptionCode.MESSAGE_TYPE, type.code());
    }

    RequestBytes op(int op) {
        header[0] = (byte) op;
        return this;
    }

    RequestBytes hardware(int htype, int hlen) {
        header[1] = (byte) htype;
        header[2] = (byte) hlen;
        return this;
    }

    RequestBytes xid(int xid) {
        new Ipv4Address(xid).writeTo(header, 4);
        return this;
    }

    RequestBytes broadcastFlag() {
        header[10] = (byte) 0x80;
        return this;
    }

    RequestBytes ciaddr(String address) {
        Ipv4Address.parse(address).writeTo(header, 12);
        return this;
    }

    RequestBytes giaddr(String address) {
        Ipv4Address.parse(address).writeTo(header, 24);
        return this;
    }

    RequestBytes cookie(int cookie) {
        new Ipv4Address(cookie).writeTo(header, 236);
        return this;
    }

    /** Raw bytes into {@code sname} (64 bytes), e.g. options when option 52 says so. */
    RequestBytes sname(int... bytes) {
        return field(SNAME_OFFSET, 64, bytes);
    }

    /** Raw bytes into {@code file} (128 bytes). */
    RequestBytes file(int... bytes) {
        return field(FILE_OFFSET, 128, bytes);
    }

    /** One option instance: code, length, value. The value is not checked, so any length up to 255 goes. */
    RequestBytes option(int code, int... value) {
        options.write(code);
        options.write(value.length);
        for (int b : value) {
            options.write(b);
        }
        return this;
    }

    RequestBytes option(int code, byte[] value) {
        options.write(code);
        options.write(value.length);
        options.write(value, 0, value.length);
        return this;
    }

    /** Bytes straight into the options area: a bad length, a lone code, padding. */
    RequestBytes raw(int... bytes) {
        for (int b : bytes) {
            options.write(b);
        }
        return this;
    }

    RequestBytes noEnd() {
        end = false;
        return this;
    }

    byte[] build() {
        byte[] opts = options.toByteArray();
        byte[] out = Arrays.copyOf(header, header.length + opts.length + (end ? 1 : 0));
        System.arraycopy(opts, 0, out, header.length, opts.length);
        if (end) {
            out[out.length - 1] = (byte) DhcpOptionCode.END;
        }
        return out;
    }

    private RequestBytes field(int offset, int size, int... bytes) {
        if (bytes.length > size) {
            throw new IllegalArgumentException(bytes.length + " bytes do not fit in a " + size + "-byte field");
        }
        for (int i = 0; i < bytes.length; i++) {
            header[offset + i] = (byte) bytes[i];
        }
        return this;
    }
}
