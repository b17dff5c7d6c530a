package io.fabricipam.api.problem;

/**
 * One field at fault in a problem: {@code field} as a path ({@code pools[1].end}), {@code pointer} as an
 * RFC 6901 JSON pointer into the request body ({@code #/pools/1/end}), and what is wrong.
 */
public record FieldError(String field, String pointer, String detail) {

    public static FieldError of(String field, String detail) {
        return new FieldError(field, pointer(field), detail);
    }

    /** {@code pools[1].end} -> {@code #/pools/1/end}. */
    static String pointer(String field) {
        if (field == null || field.isEmpty()) {
            return "#";
        }
        StringBuilder sb = new StringBuilder("#");
        for (String part : field.replace("]", "").split("[.\\[]")) {
            if (!part.isEmpty()) {
                sb.append('/').append(part.replace("~", "~0").replace("/", "~1"));
            }
        }
        return sb.toString();
    }
}
