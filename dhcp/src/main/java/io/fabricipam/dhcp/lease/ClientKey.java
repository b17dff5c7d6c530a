package io.fabricipam.dhcp.lease;

import io.fabricipam.dhcp.net.MacAddress;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * How a client is recognised (RFC 2131 §4.2): its client identifier (option 61) when it sends one, else
 * its hardware type and address. Printed and stored as {@code id:<hex>} or {@code hw:<hex>}.
 */
public final class ClientKey {

    private static final HexFormat HEX = HexFormat.of();
    /** FNV-1a, 64 bits: offset basis and prime. */
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** MurmurHash3's 64-bit finaliser constant: spreads every input bit over the 32 bits kept. */
    private static final long MIX = 0xff51afd7ed558ccdL;

    private final byte[] bytes; // first byte: 'i' for client id, 'h' for hardware
    private final int hash;

    private ClientKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = hash(bytes);
    }

    /**
     * Not {@link Arrays#hashCode(byte[])}: its base 31 folds the last bytes of MAC addresses that differ only
     * there (as a host's guests do) onto few values (100,000 such addresses gave ~8 keys per hash value), and
     * HashMap bins that crowded turn into trees: every look-up of the lease table, and the loading of the
     * leases at start, paid for it. FNV-1a over the bytes, then a finaliser so the low bits HashMap uses vary.
     */
    static int hash(byte[] bytes) {
        long h = FNV_OFFSET;
        for (byte b : bytes) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        h ^= h >>> 33;
        h *= MIX;
        h ^= h >>> 33;
        return (int) h;
    }

    public static ClientKey ofClientId(byte[] clientId) {
        byte[] b = new byte[clientId.length + 1];
        b[0] = 'i';
        System.arraycopy(clientId, 0, b, 1, clientId.length);
        return new ClientKey(b);
    }

    public static ClientKey ofHardware(MacAddress mac) {
        byte[] b = new byte[8];
        b[0] = 'h';
        b[1] = 1; // htype Ethernet
        mac.writeTo(b, 2);
        return new ClientKey(b);
    }

    /** Option 61 if present, else htype + chaddr. */
    public static ClientKey of(byte[] clientId, MacAddress mac) {
        return clientId != null && clientId.length > 0 ? ofClientId(clientId) : ofHardware(mac);
    }

    public static ClientKey parse(String text) {
        if (text.startsWith("id:")) {
            return ofClientId(HEX.parseHex(text.substring(3)));
        }
        if (text.startsWith("hw:")) {
            byte[] hw = HEX.parseHex(text.substring(3));
            if (hw.length != 7 || hw[0] != 1) {
                throw new IllegalArgumentException("not an Ethernet hardware key: " + text);
            }
            return ofHardware(MacAddress.of(hw, 1));
        }
        throw new IllegalArgumentException("a client key starts with id: or hw:, not '" + text + "'");
    }

    public boolean isClientId() {
        return bytes[0] == 'i';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientKey other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return (isClientId() ? "id:" : "hw:") + HEX.formatHex(bytes, 1, bytes.length);
    }
}
