package io.fabricipam.dhcp.codec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * DHCP options in order: code -> value. Values may be longer than 255 bytes; they are the concatenation
 * of every instance of the option (RFC 3396) when read, and are split again when written.
 */
public final class DhcpOptions {

    private final LinkedHashMap<Integer, byte[]> values;

    private DhcpOptions(LinkedHashMap<Integer, byte[]> values) {
        this.values = values;
    }

    public static DhcpOptions empty() {
        return new DhcpOptions(new LinkedHashMap<>());
    }

    public static Builder builder() {
        return new Builder();
    }

    public byte[] get(int code) {
        byte[] v = values.get(code);
        return v == null ? null : v.clone();
    }

    /** The stored array itself, for the codec's own hot path; callers must not change it. */
    byte[] getShared(int code) {
        return values.get(code);
    }

    public boolean contains(int code) {
        return values.containsKey(code);
    }

    public Set<Integer> codes() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    public int size() {
        return values.size();
    }

    Map<Integer, byte[]> asMap() {
        return values;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(Arrays.toString(v)));
        return sb.append('}').toString();
    }

    /** Collects options in insertion order; adding a code twice appends to its value (RFC 3396). */
    public static final class Builder {
        private final LinkedHashMap<Integer, byte[]> values = new LinkedHashMap<>();

        public Builder put(int code, byte[] value) {
            checkCode(code);
            values.put(code, value.clone());
            return this;
        }

        public Builder append(int code, byte[] value, int offset, int length) {
            checkCode(code);
            byte[] existing = values.get(code);
            if (existing == null) {
                values.put(code, Arrays.copyOfRange(value, offset, offset + length));
            } else {
                byte[] joined = Arrays.copyOf(existing, existing.length + length);
                System.arraycopy(value, offset, joined, existing.length, length);
                values.put(code, joined);
            }
            return this;
        }

        public boolean contains(int code) {
            return values.containsKey(code);
        }

        public Builder remove(int code) {
            values.remove(code);
            return this;
        }

        public DhcpOptions build() {
            return new DhcpOptions(new LinkedHashMap<>(values));
        }

        private static void checkCode(int code) {
            if (code <= DhcpOptionCode.PAD || code >= DhcpOptionCode.END) {
                throw new IllegalArgumentException("option code must be 1..254, not " + code);
            }
        }
    }
}
