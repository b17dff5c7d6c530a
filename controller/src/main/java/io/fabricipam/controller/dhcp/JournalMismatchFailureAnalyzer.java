package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.journal.JournalMismatchException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start refused because the lease journal and the database do not belong together ends with Spring Boot's
 * "APPLICATION FAILED TO START" block naming both and the way out, instead of a stack trace an operator has
 * to dig the message out of. Registered in {@code META-INF/spring.factories}.
 */
public final class JournalMismatchFailureAnalyzer extends AbstractFailureAnalyzer<JournalMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, JournalMismatchException cause) {
        return new FailureAnalysis("The lease journal and the database do not belong together: " + cause.getMessage(),
                "Start with the data directory (fabric.data-dir) and the database (spring.datasource.url) that belong"
                        + " together, as the description says; nothing was replayed or changed.", cause);
    }
}
