package io.fabricipam.dhcp.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address held as its 32-bit value. Cheap to create and compare, unlike {@link InetAddress},
 * which matters on the DHCP hot path and in scopes of a million addresses.
 */
public record Ipv4Address(int value) implements Comparable<Ipv4Address> {

    public static final Ipv4Address ANY = new Ipv4Address(0);
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xffffffff);

    /** Parses dotted-quad text strictly: four decimal parts 0-255, no leading '+' or spaces. */
    public static Ipv4Address parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an IPv4 address is required");
        }
        int value = 0;
        int parts = 0;
        int i = 0;
        int n = text.length();
        while (i <= n) {
            int start = i;
            int part = 0;
            while (i < n && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                }
                part = part * 10 + (c - '0');
                i++;
            }
            if (i == start || part > 255 || parts == 4) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            value = (value << 8) | part;
            parts++;
            i++;
        }
        if (parts != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        return new Ipv4Address(value);
    }

    public static Ipv4Address of(byte[] bytes) {
        return of(bytes, 0);
    }

    public static Ipv4Address of(byte[] bytes, int offset) {
        if (bytes == null || bytes.length < offset + 4) {
            throw new IllegalArgumentException("an IPv4 address needs 4 bytes");
        }
        return new Ipv4Address(((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff));
    }

    public static Ipv4Address of(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        return of(address.getAddress());
    }

    /** The address as an unsigned number, for ordering and database columns. */
    public long unsigned() {
        return value & 0xffffffffL;
    }

    public static Ipv4Address ofUnsigned(long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new IllegalArgumentException("not an IPv4 address value: " + value);
        }
        return new Ipv4Address((int) value);
    }

    public boolean isAny() {
        return value == 0;
    }

    public byte[] toBytes() {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    public void writeTo(byte[] target, int offset) {
        target[offset] = (byte) (value >>> 24);
        target[offset + 1] = (byte) (value >>> 16);
        target[offset + 2] = (byte) (value >>> 8);
        target[offset + 3] = (byte) value;
    }

    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 bytes
        }
    }

    public Ipv4Address plus(long delta) {
        return ofUnsigned(unsigned() + delta);
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return (value >>> 24) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "." + (value & 0xff);
    }
}
