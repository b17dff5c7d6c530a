package io.fabricipam.dhcp.scope;

import io.fabricipam.dhcp.codec.OptionValues;
import java.util.Arrays;
import java.util.Locale;

/**
 * An option by code that the scope model has no field for, e.g. vendor options. The value is given as
 * text in one of a few types and checked and encoded once, when the scope is built.
 */
public record CustomOption(int code, Type type, String value) {

    /** How {@code value} is written; {@code HEX} passes bytes through. */
    public enum Type {
        STRING, HEX, IP, IP_LIST, UINT8, UINT16, UINT32, BOOLEAN;

        public static Type parse(String text) {
            if (text == null) {
                return STRING;
            }
            String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (t.equals("IPLIST") || t.equals("IPS")) {
                return IP_LIST;
            }
            try {
                return valueOf(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown option type '" + text + "' (one of "
                        + Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
            }
        }
    }

    /** Codes the scope model owns, or that only the server may set; a custom option may not use them. */
    private static final int[] RESERVED = {0, 1, 3, 6, 12, 15, 26, 28, 42, 50, 51, 52, 53, 54, 55, 57, 58, 59, 61,
        66, 67, 82, 119, 121, 255};

    public CustomOption {
        if (code < 1 || code > 254) {
            throw new IllegalArgumentException("option code must be 1..254, not " + code);
        }
        for (int r : RESERVED) {
            if (r == code) {
                throw new IllegalArgumentException("option " + code + " is set by its own scope field or by the server");
            }
        }
        if (type == null) {
            type = Type.STRING;
        }
        if (value == null) {
            throw new IllegalArgumentException("option " + code + " needs a value");
        }
        encode(type, value); // fail now, not at the first DHCP exchange
    }

    public byte[] encoded() {
        return encode(type, value);
    }

    private static byte[] encode(Type type, String value) {
        return switch (type) {
            case STRING -> OptionValues.ascii(value);
            case HEX -> OptionValues.hex(value);
            case IP -> OptionValues.addresses(java.util.List.of(io.fabricipam.dhcp.net.Ipv4Address.parse(value.trim())));
            case IP_LIST -> OptionValues.addresses(Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isEmpty())
                    .map(io.fabricipam.dhcp.net.Ipv4Address::parse).toList());
            case UINT8 -> new byte[] {(byte) OptionValues.unsigned(value, 0xff)};
            case UINT16 -> OptionValues.uint16((int) OptionValues.unsigned(value, 0xffff));
            case UINT32 -> OptionValues.uint32(OptionValues.unsigned(value, 0xffffffffL));
            case BOOLEAN -> new byte[] {(byte) (OptionValues.bool(value) ? 1 : 0)};
        };
    }
}
