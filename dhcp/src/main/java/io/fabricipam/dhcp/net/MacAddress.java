package io.fabricipam.dhcp.net;

import java.util.Locale;

/** A 48-bit Ethernet address held as a number; prints as lower-case {@code 02:00:00:00:00:01}. */
public record MacAddress(long value) {

    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits");
        }
    }

    /** Accepts {@code 02:00:00:00:00:01}, {@code 02-00-00-00-00-01} and {@code 0200.0000.0001}, any case. */
    public static MacAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a MAC address is required");
        }
        String hex = text.trim();
        boolean colons = hex.length() == 17 && (hex.charAt(2) == ':' || hex.charAt(2) == '-');
        boolean dots = hex.length() == 14 && hex.charAt(4) == '.' && hex.charAt(9) == '.';
        if (colons) {
            char sep = hex.charAt(2);
            for (int i = 2; i < 17; i += 3) {
                if (hex.charAt(i) != sep) {
                    throw new IllegalArgumentException("not a MAC address: '" + text + "'");
                }
            }
            hex = hex.replace(String.valueOf(sep), "");
        } else if (dots) {
            hex = hex.replace(".", "");
        } else {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        long value = 0;
        for (int i = 0; i < 12; i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            value = (value << 4) | digit;
        }
        return new MacAddress(value);
    }

    public static MacAddress of(byte[] bytes) {
        return of(bytes, 0);
    }

    public static MacAddress of(byte[] bytes, int offset) {
        if (bytes == null || bytes.length < offset + 6) {
            throw new IllegalArgumentException("a MAC address needs 6 bytes");
        }
        long value = 0;
        for (int i = 0; i < 6; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return new MacAddress(value);
    }

    public byte[] toBytes() {
        byte[] bytes = new byte[6];
        writeTo(bytes, 0);
        return bytes;
    }

    public void writeTo(byte[] target, int offset) {
        for (int i = 5; i >= 0; i--) {
            target[offset + i] = (byte) (value >>> (8 * (5 - i)));
        }
    }

    public boolean isBroadcast() {
        return value == BROADCAST.value;
    }

    public boolean isMulticast() {
        return ((value >>> 40) & 1) == 1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (value >>> (8 * i)) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
