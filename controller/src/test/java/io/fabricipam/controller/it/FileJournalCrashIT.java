package io.fabricipam.controller.it;

import java.util.List;

/**
 * {@link JournalCrashSuite} on the default journal: a file, copied into H2 in the background. The service that
 * gets the second kill runs with {@code journal-fsync=true} (an fsync after every batch), on the same data.
 */
class FileJournalCrashIT extends JournalCrashSuite {

    @Override
    String tag() {
        return "crf";
    }

    @Override
    List<String> journalArguments(int start) {
        return List.of("--fabric.dhcp.journal=file", "--fabric.dhcp.journal-fsync=" + (start == 1));
    }
}
