package io.fabricipam.api.journal;

import io.fabricipam.dhcp.journal.JournalService;

/**
 * The lease journal as {@code GET /api/v1/journal} shows it.
 *
 * @param mechanism    {@code file} (the default) or {@code database}
 * @param directory    the journal directory, for the file journal
 * @param written      the last record written to the journal (database journal: changes committed)
 * @param position     the last record the database has, or that was set aside as unstored or dropped
 * @param backlog      changes waiting to be written
 * @param storeBacklog changes written but not yet in the database
 * @param segments     journal segment files on disk
 * @param unstored     acknowledged changes the database refused, kept in the journal's dead-letter file
 * @param dropped      changes of deleted scopes dropped since the start (their events kept in the history)
 */
record JournalResponse(String mechanism, String directory, long written, long position, int backlog,
        long storeBacklog, int segments, int unstored, long dropped) {

    static JournalResponse of(JournalService.Status s) {
        return new JournalResponse(s.mechanism(), s.directory(), s.written(), s.position(), s.backlog(), s.storeBacklog(),
                s.segments(), s.unstored(), s.dropped());
    }
}
