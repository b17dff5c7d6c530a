package io.fabricipam.controller.storage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ApiException;
import io.fabricipam.api.problem.FieldError;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.fabric.storage.text.SafeText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request body read as a JSON object, field by field, with no coercion whatever the application's
 * Jackson settings: a string field takes a JSON string, a number field a JSON integer in range, a flag
 * true or false, a list a JSON array of strings; {@code null} or absent means "not given". Every wrong
 * type and every unknown field becomes a {@link FieldError} naming the field, collected so that one 422
 * names them all. Values are never echoed whole ({@link SafeText#quote}) and messages name JSON types,
 * never Java classes.
 *
 * <p>Bodies that are not JSON, or not one object, are 400 problems. Duplicate keys are refused (a
 * later {@code "name"} must not silently win over an earlier, checked one).
 */
final class JsonBody {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer digit strings are out of every range we read, and must not overflow the parse. */
    private static final int DIGITS_MAX = 9;

    private final JsonNode object;
    private final List<FieldError> errors = new ArrayList<>();
    private final Set<String> failed = new TreeSet<>();

    private JsonBody(JsonNode object) {
        this.object = object;
    }

    /**
     * Parses {@code body} (UTF-8, -16 or -32 JSON) as one object with no other fields than {@code known}.
     *
     * @throws ApiException 400 when the body is empty, not JSON, or not an object
     */
    static JsonBody parse(byte[] body, Set<String> known) {
        if (body == null || body.length == 0) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "a JSON object is required as the request body", null);
        }
        JsonNode node;
        try {
            node = JSON.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "the request body is not valid JSON: "
                    + SafeText.quote(firstLine(e.getOriginalMessage())) + " at line " + line(e) + ", column "
                    + column(e), null);
        } catch (IOException e) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "the request body could not be read", null);
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "the request body must be a JSON object, not "
                    + (node == null || node.isMissingNode() ? "nothing" : type(node)), null);
        }
        JsonBody json = new JsonBody(node);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!known.contains(field)) {
                json.fail(SafeText.log(field), "is not a field of this resource; known: " + new TreeSet<>(known));
            }
        }
        return json;
    }

    /** The string at {@code field}, or null when absent or null. */
    String string(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            fail(field, "must be a string, not " + type(v));
            return null;
        }
        return v.textValue();
    }

    /** The flag at {@code field}, or null when absent or null. */
    Boolean flag(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            fail(field, "must be true or false, not " + type(v));
            return null;
        }
        return v.booleanValue();
    }

    /** The integer at {@code field} within {@code min..max}, or null when absent or null. */
    Integer integer(String field, long min, long max) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            fail(field, "must be an integer (" + min + " to " + max + "), not " + type(v));
            return null;
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            fail(field, "must be " + min + " to " + max);
            return null;
        }
        return (int) v.longValue();
    }

    /**
     * As {@link #integer}, and also a JSON string of decimal digits, the form an earlier version documented
     * (README: {@code "admin": "<tgtadm -C N>"}), so that clients written against it keep working; any other
     * string ({@code "abc"}, {@code "5x"}, {@code ""}) is refused like any other wrong type.
     */
    Integer integerOrDigits(String field, long min, long max) {
        JsonNode v = value(field);
        if (v != null && v.isTextual()) {
            String text = v.textValue();
            if (text.isEmpty() || text.length() > DIGITS_MAX || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                fail(field, "must be an integer (" + min + " to " + max + "), not " + SafeText.quote(text));
                return null;
            }
            long n = Long.parseLong(text);
            if (n < min || n > max) {
                fail(field, "must be " + min + " to " + max);
                return null;
            }
            return (int) n;
        }
        return integer(field, min, max);
    }

    /**
     * The array of strings at {@code field}, at most {@code max} of them; null when absent or null (or not
     * an array). An element that is no string is recorded and comes back as null, so that the others keep
     * their index for later rules.
     */
    List<String> strings(String field, int max) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            fail(field, "must be an array of strings, not " + type(v));
            return null;
        }
        if (v.size() > max) {
            fail(field, "at most " + max + " values, not " + v.size());
            return null;
        }
        List<String> values = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual()) {
                fail(field + "[" + i + "]", "must be a string, not " + type(item));
                values.add(null);
            } else {
                values.add(item.textValue());
            }
        }
        return values;
    }

    /** Records a problem of {@code field} (found here or by a later rule). */
    void fail(String field, String detail) {
        errors.add(FieldError.of(field, detail));
        failed.add(field);
    }

    /** Whether {@code field} already has a problem: later rules need not add another. */
    boolean failed(String field) {
        return failed.contains(field);
    }

    /** @throws ApiException 422 naming every field at fault, if any */
    void check(String what) {
        if (!errors.isEmpty()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "the " + what + " has " + errors.size()
                    + (errors.size() == 1 ? " invalid field" : " invalid fields"), errors);
        }
    }

    private JsonNode value(String field) {
        JsonNode v = object.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static String type(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> v.isIntegralNumber() ? "a number" : "a decimal number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL -> "null";
            case BINARY, MISSING -> "nothing";
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static int line(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static int column(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
    }
}
