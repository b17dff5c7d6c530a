package io.fabricipam.api.journal;

import io.fabricipam.api.audit.AuditContext;
import io.fabricipam.api.problem.ApiException;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.web.Parameters;
import io.fabricipam.dhcp.journal.JournalService;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/journal}: where acknowledged lease changes are on their way to the database, and the
 * changes the database refused ("unstored": kept by the journal, never lost), which an operator retries
 * once the cause is fixed or discards. Reads need a reader token, retry and discard an admin token; both
 * writes are audited.
 */
@RestController
@RequestMapping(path = "/api/v1/journal", produces = "application/json")
class JournalController {

    /** The audit line names this many changes of each outcome; the response has them all. */
    static final int AUDIT_LISTED = 10;

    private final JournalService journal;

    JournalController(JournalService journal) {
        this.journal = journal;
    }

    @Operation(summary = "The lease journal's progress", description = "Records written, the database's position,"
            + " backlogs, segment files, and how many acknowledged changes the database refused (unstored).")
    @GetMapping
    JournalResponse status() {
        return JournalResponse.of(journal.status());
    }

    @Operation(summary = "Acknowledged lease changes the database refused", description = "Oldest first, each with"
            + " the database's error. They are kept in the journal's dead-letter file and retried at every start.")
    @GetMapping("/unstored")
    List<UnstoredChangeResponse> unstored() {
        return journal.unstored().stream().map(UnstoredChangeResponse::of).toList();
    }

    @Operation(summary = "Try every unstored change again", description = "Oldest first; per address in journal"
            + " order (a change behind one that still fails is not tried). Answers what was stored, what still fails"
            + " and what was dropped because its scope no longer exists.")
    @PostMapping("/unstored/retry")
    RetryResponse retry() {
        JournalService.RetryOutcome outcome;
        try {
            outcome = journal.retryUnstored();
        } catch (IllegalStateException notRunning) {
            throw new ApiException(ProblemType.SERVICE_UNAVAILABLE, notRunning.getMessage(), null);
        }
        RetryResponse response = RetryResponse.of(outcome);
        AuditContext.describe("retried unstored lease changes: " + response.stored().size() + " stored"
                + list(response.stored()) + ", " + response.dropped().size() + " dropped (scope deleted)"
                + list(response.dropped()) + ", " + response.failing().size() + " still refused");
        return response;
    }

    @Operation(summary = "Discard one unstored change for good", description = "The change will never reach the"
            + " database; its lease stays as the DHCP server knows it until the next change of that address.")
    @DeleteMapping("/unstored/{sequence}")
    UnstoredChangeResponse discard(@PathVariable String sequence) {
        long number = Parameters.parse("sequence", sequence, Long::parseLong, "a journal record number");
        JournalService.Unstored gone;
        try {
            gone = journal.discardUnstored(number)
                    .orElseThrow(() -> ApiException.notFound("no unstored lease change " + number));
        } catch (IllegalStateException notRunning) {
            throw new ApiException(ProblemType.SERVICE_UNAVAILABLE, notRunning.getMessage(), null);
        }
        UnstoredChangeResponse response = UnstoredChangeResponse.of(gone);
        AuditContext.describe("discarded unstored lease change " + response.describe() + "; database error was: "
                + response.error());
        return response;
    }

    private static String list(List<UnstoredChangeResponse> changes) {
        if (changes.isEmpty()) {
            return "";
        }
        return changes.stream().limit(AUDIT_LISTED).map(UnstoredChangeResponse::describe)
                .collect(Collectors.joining(", ", " [", changes.size() > AUDIT_LISTED ? ", ...]" : "]"));
    }
}
