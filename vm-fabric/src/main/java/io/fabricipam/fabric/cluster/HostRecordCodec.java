package io.fabricipam.fabric.cluster;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The bytes of a membership node: UTF-8 {@code key=value} lines separated by {@code \n}, the first line naming
 * the format and its version. Small, readable with {@code zkCli get}, and free of a JSON library.
 *
 * <pre>
 * format=fabric-ipam-host/1
 * host-id=host-a
 * underlay-ip=10.99.0.1
 * rest-url=http://10.0.0.1:8080          (only when known)
 * started-at=2026-12-06T22:00:00.123Z
 * heartbeat-at=2026-12-06T22:00:41.002Z
 * leader-epoch=7                          (only while the host leads)
 * </pre>
 *
 * <p>Version 1 readers ignore keys they do not know, so a later version may add keys and keep {@code /1};
 * a change that old readers would misread (a key that changes meaning) takes {@code /2}, which they refuse.
 * Values never contain a line break (host ids, addresses, URLs and instants cannot).
 */
public final class HostRecordCodec {

    /** The first line of every version 1 record. */
    public static final String FORMAT_LINE = "format=fabric-ipam-host/1";
    /** A record is a few hundred bytes; anything far bigger is not ours and is not parsed. */
    public static final int MAX_BYTES = 4096;

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private HostRecordCodec() {
    }

    public static byte[] encode(HostRecord record) {
        StringBuilder text = new StringBuilder(256).append(FORMAT_LINE).append('\n');
        line(text, "host-id", record.hostId());
        line(text, "underlay-ip", record.underlayIp().getHostAddress());
        if (record.restUrl() != null) {
            line(text, "rest-url", record.restUrl().toString());
        }
        line(text, "started-at", record.startedAt().toString());
        line(text, "heartbeat-at", record.heartbeatAt().toString());
        record.leaderEpoch().ifPresent(epoch -> line(text, "leader-epoch", Long.toString(epoch)));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The record in {@code bytes}.
     *
     * @throws IllegalArgumentException when the bytes are not a version 1 record, with what is wrong
     */
    public static HostRecord decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("empty host record");
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("host record of " + bytes.length + " bytes (at most " + MAX_BYTES + ")");
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        if (!lines[0].equals(FORMAT_LINE)) {
            throw new IllegalArgumentException("not a " + FORMAT_LINE + " record: first line \""
                    + printable(lines[0]) + "\"");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not key=value: \"" + printable(line) + "\"");
            }
            if (values.putIfAbsent(line.substring(0, equals), line.substring(equals + 1)) != null) {
                throw new IllegalArgumentException("key " + printable(line.substring(0, equals)) + " appears twice");
            }
        }
        String epoch = values.get("leader-epoch");
        return new HostRecord(required(values, "host-id"), address(required(values, "underlay-ip")),
                url(values.get("rest-url")), instant(values, "started-at"), instant(values, "heartbeat-at"),
                epoch == null ? OptionalLong.empty() : OptionalLong.of(number("leader-epoch", epoch)));
    }

    private static void line(StringBuilder text, String key, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(key + " must not contain a line break");
        }
        text.append(key).append('=').append(value).append('\n');
    }

    private static String required(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("host record without " + key);
        }
        return value;
    }

    private static Inet4Address address(String text) {
        // only a literal: InetAddress.getByName would look a name up in DNS
        if (!DOTTED_QUAD.matcher(text).matches()) {
            throw new IllegalArgumentException("underlay-ip is not an IPv4 address: \"" + printable(text) + "\"");
        }
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalArgumentException("underlay-ip is not an IPv4 address: \"" + printable(text) + "\"", e);
        }
    }

    private static URI url(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("rest-url is not a URL: \"" + printable(text) + "\"", e);
        }
    }

    private static Instant instant(Map<String, String> values, String key) {
        String text = required(values, key);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " is not an ISO-8601 instant: \"" + printable(text) + "\"", e);
        }
    }

    private static long number(String key, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: \"" + printable(text) + "\"", e);
        }
    }

    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
