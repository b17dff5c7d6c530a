package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.UnloadableScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "dhcp": down when the lease journal is not running (no lease can be
 * acknowledged), with the journal's backlog, commit count and the number of scopes as details. DEGRADED
 * while stored scopes could not be loaded (they are not served), listed in {@code unloadableScopes} with
 * id, name and reason until repaired or deleted.
 */
@Component("dhcp")
public class DhcpHealthIndicator implements HealthIndicator {

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
        Health.Builder health = journal.isRunning() ? Health.up() : Health.down();
        int backlog = journal.backlog();
        if (backlog > BACKLOG_WARNING) {
            health = Health.status("DEGRADED");
        }
        List<UnloadableScope> unloadable = administration.unloadable();
        if (journal.isRunning() && !unloadable.isEmpty()) {
            health = Health.status("DEGRADED"); // DHCP works, but not for these scopes
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
                .build();
    }

    private static Map<String, Object> detail(UnloadableScope u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id().toString());
        m.put("name", u.name());
        m.put("reason", u.reason());
        return m;
    }
}
