package io.fabricipam.api.problem;

/**
 * One field at fault in a problem: {@code field} as a path ({@code pools[1].end}), {@code pointer} as an
 * RFC 6901 JSON pointer into the request body ({@code #/pools/1/end}), and what is wrong.
 */
public record FieldError(String field, String pointer, String detail) {

    /** Longest field path answered; a longer one (a 1 MB JSON key) is cut. */
    static final int MAX_FIELD = 128;

    /** The field error as answered: the path cut to {@value #MAX_FIELD} characters, the detail made safe. */
    public static FieldError of(String field, String detail) {
        String f = field;
        if (f != null && f.length() > MAX_FIELD) {
            f = f.substring(0, MAX_FIELD) + "...";
        }
        if (f != null) {
            f = Problems.clip(f);
        }
        return new FieldError(f, pointer(f), Problems.safeDetail(detail, "is not valid here"));
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
