package io.fabricipam.fabric.storage.iscsi;

/** A mutable 48-byte basic header segment used by the message records to encode themselves. */
final class Bhs {

    private final byte[] bytes = new byte[IscsiPdu.BHS_LENGTH];

    Bhs(IscsiOpcode opcode, boolean immediate) {
        bytes[0] = (byte) (opcode.code() | (immediate ? 0x40 : 0));
    }

    Bhs u8(int offset, int value) {
        bytes[offset] = (byte) value;
        return this;
    }

    Bhs u16(int offset, int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
        return this;
    }

    Bhs u32(int offset, int value) {
        return u16(offset, value >>> 16).u16(offset + 2, value);
    }

    Bhs u48(int offset, long value) {
        return u16(offset, (int) (value >>> 32)).u32(offset + 2, (int) value);
    }

    Bhs u64(int offset, long value) {
        return u32(offset, (int) (value >>> 32)).u32(offset + 4, (int) value);
    }

    IscsiPdu with(DataSegment data) {
        return IscsiPdu.of(bytes, data);
    }

    IscsiPdu withoutData() {
        return IscsiPdu.of(bytes, DataSegment.EMPTY);
    }
}
