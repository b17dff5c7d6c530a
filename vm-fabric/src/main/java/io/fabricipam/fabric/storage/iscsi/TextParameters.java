package io.fabricipam.fabric.storage.iscsi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The key=value text of Login and Text PDUs (RFC 7143 §6.1): UTF-8 pairs, each terminated by a
 * NUL. Order is kept and keys may repeat, because a SendTargets answer lists one TargetName
 * followed by its TargetAddress lines, target after target.
 */
public record TextParameters(List<Entry> entries) {

    /** One key=value pair; the value may be empty but neither part may contain NUL, and the key no '='. */
    public record Entry(String key, String value) {
        public Entry {
            if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("not an iSCSI text key=value pair: " + key + "=" + value);
            }
        }
    }

    public static final TextParameters EMPTY = new TextParameters(List.of());

    public TextParameters {
        entries = List.copyOf(entries);
    }

    public static TextParameters of(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        List<Entry> list = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            list.add(new Entry(keysAndValues[i], keysAndValues[i + 1]));
        }
        return new TextParameters(list);
    }

    /**
     * Parses a data segment. Trailing NULs are tolerated (some initiators count padding in the
     * segment length); an unterminated last pair or a pair without '=' is malformed.
     */
    public static TextParameters decode(byte[] data) throws IscsiProtocolException {
        List<Entry> list = new ArrayList<>();
        int start = 0;
        while (start < data.length) {
            int end = start;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            if (end == data.length) {
                throw new IscsiProtocolException("text pair not terminated by NUL at offset " + start);
            }
            if (end > start) {
                String pair = new String(data, start, end - start, StandardCharsets.UTF_8);
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IscsiProtocolException("text without key=value form: " + abbreviate(pair));
                }
                list.add(new Entry(pair.substring(0, eq), pair.substring(eq + 1)));
            }
            start = end + 1;
        }
        return new TextParameters(list);
    }

    /** Encodes as "key=value\0" pairs without padding: the data segment length excludes padding. */
    public byte[] encode() {
        StringBuilder text = new StringBuilder();
        for (Entry e : entries) {
            text.append(e.key()).append('=').append(e.value()).append('\0');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    public Optional<String> get(String key) {
        return entries.stream().filter(e -> e.key().equals(key)).map(Entry::value).findFirst();
    }

    public List<String> getAll(String key) {
        return entries.stream().filter(e -> e.key().equals(key)).map(Entry::value).toList();
    }

    public TextParameters with(String key, String value) {
        List<Entry> list = new ArrayList<>(entries);
        list.add(new Entry(key, value));
        return new TextParameters(list);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
