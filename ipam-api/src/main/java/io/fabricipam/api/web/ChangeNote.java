package io.fabricipam.api.web;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * What a write request changed, in words, for the audit trail ("created scope lab (10.20.0.0/24)"). Handlers
 * call {@link #describe}; the audit filter reads it back when the request completes.
 */
public final class ChangeNote {

    /** The request attribute holding the description. */
    public static final String ATTRIBUTE = "io.fabricipam.audit.summary";

    private ChangeNote() {
    }

    public static void describe(String summary) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            attributes.setAttribute(ATTRIBUTE, summary, RequestAttributes.SCOPE_REQUEST);
        }
    }
}
