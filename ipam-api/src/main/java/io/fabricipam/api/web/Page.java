package io.fabricipam.api.web;

import io.fabricipam.api.problem.ApiException;
import java.util.List;

/** One page of a list: {@code {"items": [...], "page": 0, "size": 100, "total": 1234}}. */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final int DEFAULT_SIZE = 100;
    public static final int MAX_SIZE = 1000;

    /** Checks paging parameters and returns the offset of the page. */
    public static int offset(int page, int size) {
        if (page < 0) {
            throw ApiException.malformed("page", "page must be 0 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ApiException.malformed("size", "size must be 1 to " + MAX_SIZE);
        }
        long offset = (long) page * size;
        if (offset > Integer.MAX_VALUE) {
            throw ApiException.malformed("page", "page is too far");
        }
        return (int) offset;
    }

    public static <T> Page<T> of(List<T> all, int page, int size) {
        int from = Math.min(all.size(), offset(page, size));
        int to = Math.min(all.size(), from + size);
        return new Page<>(List.copyOf(all.subList(from, to)), page, size, all.size());
    }
}
