package io.fabricipam.fabric.storage.target;

/**
 * A TCP address of an iSCSI portal: a host name or IP literal (IPv6 kept without brackets) and a
 * port. Port 0 is allowed for listeners (any free port); a target needs a real one (see
 * {@link TargetSpec}). {@link #toString()} is the {@code host:port} form iSCSI's TargetAddress
 * key and the logs use, with brackets around IPv6 literals.
 */
public record Portal(String host, int port) {

    /** The IANA port of iSCSI, used when an address names no port. */
    public static final int ISCSI_PORT = 3260;

    public Portal {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a portal needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // one spelling per address, so that equals works
        }
    }

    /** Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; no port means {@value #ISCSI_PORT}. */
    public static Portal parse(String text) {
        String s = text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal: " + text);
            }
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            return new Portal(host, rest.isEmpty() ? ISCSI_PORT : parsePort(rest.substring(1), text));
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            return new Portal(s, ISCSI_PORT);
        }
        if (s.indexOf(':') != colon) {
            // "::1:3260" could be an address with a port or an address alone
            throw new IllegalArgumentException("IPv6 portals need brackets: " + text);
        }
        return new Portal(s.substring(0, colon), parsePort(s.substring(colon + 1), text));
    }

    private static int parsePort(String digits, String text) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port in " + text, e);
        }
    }

    /** {@code host:port}, {@code [v6]:port} for IPv6 literals: what TargetAddress carries and initiators dial. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
