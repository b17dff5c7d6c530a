package io.fabricipam.fabric.storage.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The session log keeps records and writes one log line per record, whatever the initiator sent. */
class SessionLogTest {

    private static final String FORGED = "2026-11-21 10:00:00 INFO audit admin DELETE /api/v1/scopes/lab 204";

    /** What the log (slf4j-simple writes to System.err) shows while {@code action} runs. */
    private static String logged(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anInitiatorNameWithANewlineCannotForgeALogLine() {
        SessionLog sessions = new SessionLog(10);
        String evil = "iqn.2024-01.x:y\n" + FORGED + "\r\n" + FORGED + "\u2028" + FORGED;
        String log = logged(() -> sessions.record(new SessionRecord(Instant.EPOCH, "127.0.0.1:5000", evil,
                "000000000001", "Normal\n" + FORGED, "iqn.t\n" + FORGED, SessionOutcome.REFUSED_NOT_FOUND, null, null,
                "0x0203: no target named iqn.t\n" + FORGED)));
        assertThat(log.lines().filter(l -> !l.isBlank())).hasSize(1);
        assertThat(log.lines().filter(l -> l.startsWith(FORGED))).isEmpty();
        assertThat(log).contains("iqn.2024-01.x:y\\n2026-11-21");
        // the record itself keeps what was sent (the API shows it as JSON, which escapes it)
        assertThat(sessions.recent()).singleElement().satisfies(r -> assertThat(r.initiatorName()).isEqualTo(evil));
    }

    @Test
    void aHugeInitiatorNameIsCutInTheLog() {
        SessionLog sessions = new SessionLog(10);
        String log = logged(() -> sessions.record(new SessionRecord(Instant.EPOCH, "127.0.0.1:5000", "i".repeat(65536),
                null, "Normal", null, SessionOutcome.REFUSED_BAD_LOGIN, null, null, "r".repeat(65536))));
        assertThat(log.length()).isLessThan(2000);
    }
}
