package io.fabricipam.fabric.storage.target;

import io.fabricipam.fabric.storage.text.SafeText;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A TCP address of an iSCSI portal: a host and a port. The host is an IPv4 address in dotted-quad
 * form, an IPv6 literal (kept without brackets) or a DNS host name (RFC 1123 labels, at most
 * {@value #MAX_HOST_LENGTH} characters, not all digits at the end, so that "3260" or "1.2.3" is never
 * taken for a name); anything else, control characters and slashes included, is refused. Port 0 is
 * allowed for listeners (any free port); a target needs a real one (see {@link TargetSpec}).
 * {@link #toString()} is the {@code host:port} form iSCSI's TargetAddress key and the logs use, with
 * brackets around IPv6 literals.
 */
public record Portal(String host, int port) {

    /** The IANA port of iSCSI, used when an address names no port. */
    public static final int ISCSI_PORT = 3260;
    public static final int MAX_PORT = 65535;
    /** The longest DNS name (RFC 1035 §2.3.4, without the final dot). */
    public static final int MAX_HOST_LENGTH = 253;

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    public Portal {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a portal needs a host");
        }
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // one spelling per address, so that equals works
        }
        String problem = hostProblem(host);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; no port means
     * {@value #ISCSI_PORT}. For configuration; the API wants the port spelt out ({@link #parseHostPort}).
     */
    public static Portal parse(String text) {
        return parse(text, false);
    }

    /** Parses {@code host:port} or {@code [v6]:port} with a port of 1 to {@value #MAX_PORT}, as a target's portal must be. */
    public static Portal parseHostPort(String text) {
        Portal portal = parse(text, true);
        if (portal.port() == 0) {
            throw new IllegalArgumentException("port must be 1 to " + MAX_PORT + " in " + SafeText.quote(text));
        }
        return portal;
    }

    private static Portal parse(String text, boolean portRequired) {
        if (text == null) {
            throw new IllegalArgumentException("a portal needs a host");
        }
        String s = portRequired ? text : text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal: " + SafeText.quote(text));
            }
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty() && !portRequired) {
                return new Portal(host, ISCSI_PORT);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("expected [v6]:port, not " + SafeText.quote(text));
            }
            return new Portal(host, parsePort(rest.substring(1), text));
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            if (portRequired) {
                throw new IllegalArgumentException("expected host:port, not " + SafeText.quote(text));
            }
            return new Portal(s, ISCSI_PORT);
        }
        if (s.indexOf(':') != colon) {
            // "::1:3260" could be an address with a port or an address alone
            throw new IllegalArgumentException("IPv6 portals need brackets: " + SafeText.quote(text));
        }
        return new Portal(s.substring(0, colon), parsePort(s.substring(colon + 1), text));
    }

    private static int parsePort(String digits, String text) {
        if (!PORT.matcher(digits).matches() || Integer.parseInt(digits) > MAX_PORT) {
            throw new IllegalArgumentException("not a port (0 to " + MAX_PORT + ") in " + SafeText.quote(text));
        }
        return Integer.parseInt(digits);
    }

    /** Why {@code host} is no IP address or host name, or null when it is one. */
    static String hostProblem(String host) {
        if (host.length() > MAX_HOST_LENGTH) {
            return "a host has at most " + MAX_HOST_LENGTH + " characters, not " + host.length();
        }
        if (host.indexOf(':') >= 0) {
            return ipv6(host) ? null : SafeText.quote(host) + " is not an IPv6 address";
        }
        if (IPV4.matcher(host).matches()) {
            return null;
        }
        if (DIGITS_AND_DOTS.matcher(host).matches() || !HOST_NAME.matcher(host).matches()
                || host.substring(host.lastIndexOf('.') + 1).chars().allMatch(Character::isDigit)) {
            return SafeText.quote(host) + " is neither an IPv4 address (a.b.c.d), an IPv6 literal ([v6]) nor a host"
                    + " name (letters, digits and '-' between dots)";
        }
        return null;
    }

    /** The JDK's URI parser checks IPv6 literals (RFC 3986 IPv6address) without any name look-up. */
    private static boolean ipv6(String host) {
        if (!host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            return false;
        }
        try {
            return new URI("iscsi", null, "[" + host + "]", 1, null, null, null).getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** {@code host:port}, {@code [v6]:port} for IPv6 literals: what TargetAddress carries and initiators dial. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
