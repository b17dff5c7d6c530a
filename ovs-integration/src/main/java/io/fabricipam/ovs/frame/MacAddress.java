package io.fabricipam.ovs.frame;

import java.util.Locale;

/**
 * A 48-bit Ethernet address. Kept as a long so it is cheap to compare and to use as a map key; printed
 * the way {@code ovs-ofctl} and OVSDB print it (lower-case, colon-separated), so text from either parses.
 */
public record MacAddress(long bits) {

    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("more than 48 bits: " + Long.toHexString(bits));
        }
    }

    public static MacAddress of(byte[] bytes) {
        return of(bytes, 0);
    }

    public static MacAddress of(byte[] bytes, int offset) {
        if (bytes.length - offset < 6) {
            throw new IllegalArgumentException("a MAC address needs 6 bytes");
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xff);
        }
        return new MacAddress(v);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (also with '-' separators, any case). */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long v = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            v = (v << 8) | Integer.parseInt(part, 16);
        }
        return new MacAddress(v);
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        writeTo(b, 0);
        return b;
    }

    public void writeTo(byte[] target, int offset) {
        for (int i = 0; i < 6; i++) {
            target[offset + i] = (byte) (bits >>> (40 - 8 * i));
        }
    }

    public boolean isMulticast() {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                s.append(':');
            }
            s.append(String.format(Locale.ROOT, "%02x", (bits >>> (40 - 8 * i)) & 0xff));
        }
        return s.toString();
    }
}
