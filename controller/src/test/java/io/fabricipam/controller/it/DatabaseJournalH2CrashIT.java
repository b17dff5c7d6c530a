package io.fabricipam.controller.it;

import java.util.List;

/** {@link JournalCrashSuite} on the database journal (each batch committed before the ACKs) over embedded H2. */
class DatabaseJournalH2CrashIT extends JournalCrashSuite {

    @Override
    String tag() {
        return "crh";
    }

    @Override
    List<String> journalArguments(int start) {
        return List.of("--fabric.dhcp.journal=database");
    }
}
