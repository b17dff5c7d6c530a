package io.fabricipam.api.problem;

import java.io.IOException;

/**
 * A request body went past the size limit while it was being read. An IOException, so that a JSON reader
 * passes it on unchanged as it does a broken connection; the advice answers 413 {@code content-too-large}.
 */
public final class ContentTooLargeException extends IOException {

    private final long limit;

    public ContentTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
