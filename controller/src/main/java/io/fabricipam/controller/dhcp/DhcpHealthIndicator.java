package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.journal.JournalService;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.UnloadableScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "dhcp": DOWN when the lease journal is not running (no lease can be
 * acknowledged); DEGRADED while acknowledged lease changes are not in the database because it refused them
 * (the journal keeps them: see {@code /api/v1/journal/unstored}), while the journal's backlog shows the
 * database not keeping up, or while stored scopes could not be loaded (they are not served; listed in
 * {@code unloadableScopes} with id, name and reason until repaired or deleted); a {@code reason} detail says
 * which. Details: scopes, whether DHCP is answering, the journal's backlogs, commits and unstored changes.
 */
@Component("dhcp")
public class DhcpHealthIndicator implements HealthIndicator {

    /** Not one of Spring's own: the service answers, but needs an operator (ordered in application.yml). */
    static final Status DEGRADED = new Status("DEGRADED");
    /** A backlog this deep means the database is not keeping up; clients will see retries. */
    static final int BACKLOG_WARNING = 10_000;

    private final LeaseJournal journal;
    private final ScopeDirectory directory;
    private final ScopeAdministration administration;
    private final DhcpServer server;

    public DhcpHealthIndicator(LeaseJournal journal, ScopeDirectory directory, ScopeAdministration administration,
            DhcpServer server) {
        this.journal = journal;
        this.directory = directory;
        this.administration = administration;
        this.server = server;
    }

    @Override
    public Health health() {
        int backlog = journal.backlog();
        int unstored = journal.status().unstored();
        List<UnloadableScope> unloadable = administration.unloadable();
        Health.Builder health;
        if (!journal.isRunning()) {
            health = Health.down().withDetail("reason", "the lease journal is not running: no lease can be acknowledged");
        } else if (unstored > 0) {
            health = Health.status(DEGRADED).withDetail("reason", unstoredReason(unstored));
        } else if (backlog > BACKLOG_WARNING) {
            health = Health.status(DEGRADED).withDetail("reason", backlog
                    + " lease changes wait for the journal: the database is not keeping up");
        } else if (!unloadable.isEmpty()) {
            health = Health.status(DEGRADED).withDetail("reason", unloadable.size()
                    + " stored scope(s) could not be loaded and are not served: fix them with PUT or delete them");
        } else {
            health = Health.up();
        }
        if (!unloadable.isEmpty()) {
            health.withDetail("unloadableScopes", unloadable.stream().map(DhcpHealthIndicator::detail).toList());
        }
        return health.withDetail("scopes", directory.states().size())
                .withDetail("answering", server.isActive())
                .withDetail("journalBacklog", backlog)
                .withDetail("journalCommits", journal.commits())
                .withDetail("notYetInDatabase", journal.storeBacklog())
                .withDetail("committedLeaseChanges", journal.committedChanges())
                .withDetail("unstoredLeaseChanges", unstored)
                .build();
    }

    private static Map<String, Object> detail(UnloadableScope u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id().toString());
        m.put("name", u.name());
        m.put("reason", u.reason());
        return m;
    }

    private String unstoredReason(int unstored) {
        List<JournalService.Unstored> all = journal.unstored();
        String first = all.isEmpty() ? "" : "; the first (#" + all.get(0).sequence() + ", " + all.get(0).change().address()
                + "): " + all.get(0).error();
        return unstored + " acknowledged lease change(s) the database refused are kept in the journal, not in the"
                + " database" + first + ". See GET /api/v1/journal/unstored; retry with POST"
                + " /api/v1/journal/unstored/retry once the cause is fixed";
    }
}
