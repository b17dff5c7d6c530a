package io.fabricipam.fabric.storage.iscsi;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One iSCSI PDU as it travels on a connection without digests (RFC 7143 §11.2): the 48-byte
 * Basic Header Segment, the Additional Header Segments and the data segment (without padding).
 * This is the untyped form every opcode shares; the records of this package ({@link LoginRequest},
 * {@link NopIn}, ...) give the fields of the opcodes the storage path speaks.
 *
 * <p>Immutable. Bytes 4..7 of the header (TotalAHSLength, DataSegmentLength) always agree with
 * the segments: {@link #of} writes them.
 */
public final class IscsiPdu {

    public static final int BHS_LENGTH = 48;
    /** DataSegmentLength is a 24-bit field. */
    public static final int MAX_DATA_SEGMENT_LENGTH = 0xffffff;

    private static final byte[] NONE = new byte[0];

    private final byte[] bhs;
    private final byte[] ahs;
    private final byte[] data;

    private IscsiPdu(byte[] bhs, byte[] ahs, byte[] data) {
        this.bhs = bhs;
        this.ahs = ahs;
        this.data = data;
    }

    /** Builds a PDU, writing the AHS and data segment lengths into a copy of {@code bhs}. */
    public static IscsiPdu of(byte[] bhs, byte[] ahs, byte[] data) {
        if (bhs.length != BHS_LENGTH) {
            throw new IllegalArgumentException("the basic header segment has 48 bytes, not " + bhs.length);
        }
        if (ahs.length % 4 != 0 || ahs.length / 4 > 0xff) {
            throw new IllegalArgumentException("AHS length must be a multiple of 4 below 1024: " + ahs.length);
        }
        if (data.length > MAX_DATA_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("data segment longer than 2^24-1: " + data.length);
        }
        byte[] header = bhs.clone();
        header[4] = (byte) (ahs.length / 4);
        header[5] = (byte) (data.length >>> 16);
        header[6] = (byte) (data.length >>> 8);
        header[7] = (byte) data.length;
        return new IscsiPdu(header, ahs.length == 0 ? NONE : ahs.clone(), data.length == 0 ? NONE : data.clone());
    }

    public static IscsiPdu of(byte[] bhs, DataSegment data) {
        return of(bhs, NONE, data.bytes());
    }

    public IscsiOpcode opcode() {
        return IscsiOpcode.valueOf(bhs[0]);
    }

    /** The I bit: an immediate request, delivered without waiting for CmdSN order. */
    public boolean immediate() {
        return (bhs[0] & 0x40) != 0;
    }

    /** Byte 1 of the header: the F bit and the opcode-specific flags. */
    public int flags() {
        return bhs[1] & 0xff;
    }

    public int totalAhsLength() {
        return ahs.length;
    }

    public int dataSegmentLength() {
        return data.length;
    }

    public int u8(int offset) {
        return bhs[offset] & 0xff;
    }

    public int u16(int offset) {
        return (u8(offset) << 8) | u8(offset + 1);
    }

    public int u32(int offset) {
        return (u16(offset) << 16) | u16(offset + 2);
    }

    public long u48(int offset) {
        return ((long) u16(offset) << 32) | (u32(offset + 2) & 0xffffffffL);
    }

    public long u64(int offset) {
        return ((long) u32(offset) << 32) | (u32(offset + 4) & 0xffffffffL);
    }

    public byte[] bhs() {
        return bhs.clone();
    }

    public byte[] ahs() {
        return ahs.clone();
    }

    public DataSegment data() {
        return DataSegment.of(data);
    }

    /** Header, AHS, data and padding to a multiple of 4, as written on the wire. */
    public int encodedLength() {
        return BHS_LENGTH + ahs.length + padded(data.length);
    }

    public byte[] toBytes() {
        byte[] out = new byte[encodedLength()];
        System.arraycopy(bhs, 0, out, 0, BHS_LENGTH);
        System.arraycopy(ahs, 0, out, BHS_LENGTH, ahs.length);
        System.arraycopy(data, 0, out, BHS_LENGTH + ahs.length, data.length);
        return out;
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IscsiPdu other && Arrays.equals(bhs, other.bhs) && Arrays.equals(ahs, other.ahs)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(bhs) + Arrays.hashCode(ahs)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return opcode() + (immediate() ? " immediate" : "") + " flags=0x" + Integer.toHexString(flags())
                + " ahs=" + ahs.length + " data=" + data.length + " bhs=" + HexFormat.of().formatHex(bhs);
    }
}
