package io.fabricipam.fabric.storage.iscsi;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The data segment of a PDU without its padding: immutable bytes with value equality, so the
 * message records that carry one compare by content.
 */
public final class DataSegment {

    public static final DataSegment EMPTY = new DataSegment(new byte[0]);

    private final byte[] bytes;

    private DataSegment(byte[] bytes) {
        this.bytes = bytes;
    }

    public static DataSegment of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new DataSegment(bytes.clone());
    }

    public static DataSegment of(TextParameters parameters) {
        return parameters.isEmpty() ? EMPTY : new DataSegment(parameters.encode());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** The segment read as key=value text; fails when it is not complete text (e.g. split by the C bit). */
    public TextParameters parameters() throws IscsiProtocolException {
        return TextParameters.decode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataSegment other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length <= 32 ? HexFormat.of().formatHex(bytes) : bytes.length + " bytes";
    }
}
