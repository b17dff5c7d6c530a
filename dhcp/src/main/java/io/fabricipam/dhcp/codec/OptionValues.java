package io.fabricipam.dhcp.codec;

import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.scope.StaticRoute;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Encoders for option values (RFC 2132 types, RFC 3397 domain search, RFC 3442 classless routes). */
public final class OptionValues {

    private OptionValues() {
    }

    public static byte[] addresses(List<Ipv4Address> addresses) {
        byte[] out = new byte[4 * addresses.size()];
        for (int i = 0; i < addresses.size(); i++) {
            addresses.get(i).writeTo(out, 4 * i);
        }
        return out;
    }

    /** Refuses values that do not fit rather than wrapping them: 2^32 seconds must not become a lease of 0. */
    public static byte[] uint32(long value) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException(value + " does not fit in 32 unsigned bits");
        }
        return new Ipv4Address((int) value).toBytes();
    }

    public static byte[] uint16(int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(value + " does not fit in 16 unsigned bits");
        }
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    public static byte[] ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7e || text.charAt(i) < 0x20) {
                throw new IllegalArgumentException("option text must be printable ASCII: '" + text + "'");
            }
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] hex(String text) {
        String h = text.replaceAll("[:\\s-]", "");
        if (h.isEmpty() || h.length() % 2 != 0) {
            throw new IllegalArgumentException("hex value needs an even, non-zero number of digits: '" + text + "'");
        }
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = hexDigit(h.charAt(2 * i));
            int lo = hexDigit(h.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex: '" + text + "'");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** ASCII hex digits only: {@link Character#digit} also takes Arabic-Indic and full-width digits. */
    private static int hexDigit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    public static long unsigned(String text, long max) {
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + text + "'");
        }
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(v + " is outside 0.." + max);
        }
        return v;
    }

    public static boolean bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean: '" + text + "'");
        };
    }

    /** RFC 3397: names in RFC 1035 wire format, one after another (no compression). */
    public static byte[] domainSearch(List<String> domains) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String domain : domains) {
            String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
            int start = out.size();
            for (String label : d.split("\\.", -1)) { // -1: keep empty labels, so that "a.." is refused
                byte[] l = ascii(label);
                if (l.length == 0 || l.length > 63) {
                    throw new IllegalArgumentException("bad label in domain '" + domain + "'");
                }
                out.write(l.length);
                out.write(l, 0, l.length);
            }
            out.write(0);
            if (out.size() - start > 255) { // RFC 1035 §2.3.4, counted on the wire
                throw new IllegalArgumentException("domain '" + domain + "' is longer than 255 octets");
            }
        }
        return out.toByteArray();
    }

    /** RFC 3442: prefix length, the significant octets of the destination, then the router. */
    public static byte[] classlessRoutes(List<StaticRoute> routes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (StaticRoute r : routes) {
            int len = r.destination().prefixLength();
            out.write(len);
            byte[] dest = r.destination().address().toBytes();
            out.write(dest, 0, (len + 7) / 8);
            out.write(r.router().toBytes(), 0, 4);
        }
        return out.toByteArray();
    }
}
