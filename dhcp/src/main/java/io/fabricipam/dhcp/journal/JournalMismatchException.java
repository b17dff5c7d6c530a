package io.fabricipam.dhcp.journal;

/**
 * The lease journal's directory and the database do not belong together (see {@link JournalIdentity}):
 * starting would replay one database's lease changes into another, or lose them. The message names the
 * journal directory, the database and what to do.
 */
public final class JournalMismatchException extends IllegalStateException {

    public JournalMismatchException(String message) {
        super(message);
    }
}
