package io.fabricipam.ovs.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 7047 §5.1 values as they arrive in JSON: an atom is a JSON scalar or {@code ["uuid", "..."]};
 * a set is {@code ["set", [atoms]]} or, with exactly one element, the bare atom; a map is
 * {@code ["map", [[key, value], ...]]}. An optional column ({@code tag}, {@code ofport}) is a set of
 * zero or one element.
 */
final class OvsdbValues {

    private OvsdbValues() {
    }

    /** The elements of a set-or-atom. */
    static List<JsonNode> set(JsonNode value) {
        List<JsonNode> out = new ArrayList<>();
        if (value == null || value.isNull() || value.isMissingNode()) {
            return out;
        }
        if (value.isArray() && value.size() == 2 && "set".equals(value.get(0).asText())) {
            value.get(1).forEach(out::add);
        } else {
            out.add(value);
        }
        return out;
    }

    /** An optional integer column: the integer, or {@code absent} when the set is empty. */
    static long optionalInt(JsonNode value, long absent) {
        List<JsonNode> elements = set(value);
        return elements.isEmpty() || !elements.get(0).isIntegralNumber() ? absent : elements.get(0).asLong();
    }

    static List<Long> ints(JsonNode value) {
        List<Long> out = new ArrayList<>();
        for (JsonNode n : set(value)) {
            if (n.isIntegralNumber()) {
                out.add(n.asLong());
            }
        }
        return out;
    }

    static String string(JsonNode value) {
        List<JsonNode> elements = set(value);
        return elements.isEmpty() || !elements.get(0).isTextual() ? "" : elements.get(0).asText();
    }

    /** The uuids of a set of references. */
    static List<String> uuids(JsonNode value) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : set(value)) {
            if (n.isArray() && n.size() == 2 && "uuid".equals(n.get(0).asText())) {
                out.add(n.get(1).asText());
            }
        }
        return out;
    }

    static Map<String, String> map(JsonNode value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value != null && value.isArray() && value.size() == 2 && "map".equals(value.get(0).asText())) {
            for (JsonNode pair : value.get(1)) {
                if (pair.isArray() && pair.size() == 2) {
                    out.put(pair.get(0).asText(), pair.get(1).asText());
                }
            }
        }
        return out;
    }
}
