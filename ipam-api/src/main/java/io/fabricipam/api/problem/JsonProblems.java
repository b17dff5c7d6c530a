package io.fabricipam.api.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A body Jackson could not read, as the problem a client can act on: 422 naming the field when the JSON is
 * well-formed but a value has the wrong type, is out of range or is unknown; 400 when it is not JSON; 413
 * when it is too large. Details say what was expected in JSON's words ("an integer", "a string"), never a
 * Java type, and never echo more than a few characters of what was sent.
 */
public final class JsonProblems {

    private JsonProblems() {
    }

    /** {@code failure}: what reading the body threw (any wrapper of a Jackson exception), or null for no body. */
    public static ApiException of(Throwable failure) {
        ContentTooLargeException tooLarge = find(failure, ContentTooLargeException.class);
        if (tooLarge != null) {
            return new ApiException(ProblemType.CONTENT_TOO_LARGE, tooLarge.getMessage(), null);
        }
        JsonMappingException mapping = find(failure, JsonMappingException.class);
        if (mapping != null && !mapping.getPath().isEmpty()) {
            String field = path(mapping);
            if (mapping instanceof UnrecognizedPropertyException u) {
                return new ApiException(ProblemType.VALIDATION_FAILED, "unknown field " + Problems.echo(field),
                        List.of(FieldError.of(field, "is not a field of this resource; known: " + known(u.getKnownPropertyIds()))));
            }
            String expected = expected(failure);
            return new ApiException(ProblemType.VALIDATION_FAILED, "field " + Problems.echo(field) + " " + expected,
                    List.of(FieldError.of(field, expected)));
        }
        if (mapping != null) {
            return new ApiException(ProblemType.MALFORMED_REQUEST, "the request body " + expected(failure), null);
        }
        JsonProcessingException syntax = find(failure, JsonProcessingException.class);
        if (syntax != null) {
            JsonLocation at = syntax.getLocation();
            return new ApiException(ProblemType.MALFORMED_REQUEST, "the request body is not valid JSON"
                    + (at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"),
                    null);
        }
        if (failure == null) {
            return new ApiException(ProblemType.MALFORMED_REQUEST, "a JSON request body is required", null);
        }
        return new ApiException(ProblemType.MALFORMED_REQUEST, "the request body could not be read", null);
    }

    /** What the value should have been, from the deepest exception that knows its target type. */
    private static String expected(Throwable failure) {
        InputCoercionException range = find(failure, InputCoercionException.class);
        if (range != null) {
            return "is out of range for " + describe(range.getTargetType());
        }
        MismatchedInputException mismatch = find(failure, MismatchedInputException.class);
        if (mismatch != null && mismatch.getTargetType() != null) {
            return "must be " + describe(mismatch.getTargetType());
        }
        return "has the wrong type";
    }

    /** A Java type in JSON's words. */
    static String describe(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class || type == Short.class
                || type == short.class || type == Byte.class || type == byte.class || type == BigInteger.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == UUID.class) {
            return "a UUID string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                    .toList();
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a value of another type";
    }

    private static String known(Collection<Object> names) {
        return names == null ? "[]" : names.stream().map(String::valueOf).sorted().toList().toString();
    }

    /** {@code pools[1].end} from Jackson's path. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            }
        }
        return sb.toString();
    }

    /** The outermost {@code type} in the cause chain of {@code t}, or null. */
    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
