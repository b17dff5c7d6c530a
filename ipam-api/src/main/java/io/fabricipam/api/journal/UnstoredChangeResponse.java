package io.fabricipam.api.journal;

import io.fabricipam.dhcp.journal.JournalService;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.store.LeaseChange;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * An acknowledged lease change the database refused.
 *
 * @param sequence  its record number in the journal: what {@code DELETE .../unstored/{sequence}} takes
 * @param scopeId   the scope of the lease
 * @param ip        the address
 * @param mac       the client's MAC, when known
 * @param state     the lease row the change writes ({@code bound}, {@code released}...), or null for a deletion
 * @param eventType the history event it carries ({@code bound}, {@code renewed}...), when it has one
 * @param since     when it was first set aside
 * @param error     the database's error at the last attempt
 */
record UnstoredChangeResponse(long sequence, UUID scopeId, String ip, String mac, String state, String eventType,
        Instant since, String error) {

    static UnstoredChangeResponse of(JournalService.Unstored u) {
        LeaseChange c = u.change();
        Lease row = c.after() != null ? c.after() : c.before();
        return new UnstoredChangeResponse(u.sequence(), c.scopeId(), c.address().toString(),
                row.mac() == null ? null : row.mac().toString(),
                c.after() == null ? null : lower(c.after().state()), c.event() == null ? null : lower(c.event().type()),
                u.since(), u.error());
    }

    /** One line for the audit trail and the log. */
    String describe() {
        return "#" + sequence + " (" + (eventType != null ? eventType : state != null ? state : "delete") + " " + ip
                + (mac == null ? "" : " " + mac) + " in scope " + scopeId + ")";
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
