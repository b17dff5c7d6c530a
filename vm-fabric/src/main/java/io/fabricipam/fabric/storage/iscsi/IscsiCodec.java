package io.fabricipam.fabric.storage.iscsi;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Frames PDUs on a byte stream (RFC 7143 §11.2) with header and data digests off. It only
 * converts bytes: what a PDU means is for the message records and their users.
 *
 * <p>Every read takes a limit on the data segment, because the 24-bit length field lets a
 * peer announce 16 MiB and a server must not allocate that on the word of a stranger.
 */
public final class IscsiCodec {

    private IscsiCodec() {
    }

    /**
     * Reads one PDU. Returns empty when the stream ends cleanly between PDUs; throws
     * {@link EOFException} when it ends inside one and {@link IscsiProtocolException} when the
     * header announces more than {@code maxDataSegmentLength} bytes of data.
     */
    public static Optional<IscsiPdu> read(InputStream in, int maxDataSegmentLength) throws IOException {
        byte[] bhs = new byte[IscsiPdu.BHS_LENGTH];
        int first = in.read(bhs, 0, bhs.length);
        if (first < 0) {
            return Optional.empty();
        }
        readFully(in, bhs, first, bhs.length - first);
        int ahsLength = (bhs[4] & 0xff) * 4;
        int dataLength = dataSegmentLength(bhs);
        if (dataLength > maxDataSegmentLength) {
            throw new IscsiProtocolException("data segment of " + dataLength + " bytes exceeds the limit of "
                    + maxDataSegmentLength);
        }
        byte[] ahs = new byte[ahsLength];
        readFully(in, ahs, 0, ahsLength);
        byte[] data = new byte[IscsiPdu.padded(dataLength)];
        readFully(in, data, 0, data.length);
        return Optional.of(IscsiPdu.of(bhs, ahs, Arrays.copyOf(data, dataLength)));
    }

    /**
     * Takes one PDU from {@code buffer} if it holds a complete one (position advanced past it);
     * otherwise leaves the buffer untouched and returns empty.
     */
    public static Optional<IscsiPdu> decode(ByteBuffer buffer, int maxDataSegmentLength) throws IscsiProtocolException {
        if (buffer.remaining() < IscsiPdu.BHS_LENGTH) {
            return Optional.empty();
        }
        int start = buffer.position();
        int ahsLength = (buffer.get(start + 4) & 0xff) * 4;
        int dataLength = ((buffer.get(start + 5) & 0xff) << 16) | ((buffer.get(start + 6) & 0xff) << 8)
                | (buffer.get(start + 7) & 0xff);
        if (dataLength > maxDataSegmentLength) {
            throw new IscsiProtocolException("data segment of " + dataLength + " bytes exceeds the limit of "
                    + maxDataSegmentLength);
        }
        int total = IscsiPdu.BHS_LENGTH + ahsLength + IscsiPdu.padded(dataLength);
        if (buffer.remaining() < total) {
            return Optional.empty();
        }
        byte[] bhs = new byte[IscsiPdu.BHS_LENGTH];
        byte[] ahs = new byte[ahsLength];
        byte[] data = new byte[dataLength];
        buffer.get(bhs).get(ahs).get(data);
        buffer.position(start + total);
        return Optional.of(IscsiPdu.of(bhs, ahs, data));
    }

    public static byte[] encode(IscsiPdu pdu) {
        return pdu.toBytes();
    }

    public static void write(OutputStream out, IscsiPdu pdu) throws IOException {
        out.write(pdu.toBytes());
        out.flush();
    }

    private static int dataSegmentLength(byte[] bhs) {
        return ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
    }

    private static void readFully(InputStream in, byte[] into, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(into, offset + done, length - done);
            if (n < 0) {
                throw new EOFException("stream ended inside a PDU (" + (offset + done) + " bytes read)");
            }
            done += n;
        }
    }
}
