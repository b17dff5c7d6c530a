package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.server.ScopeRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "dhcp": down when the lease journal is not running (no lease can be
 * acknowledged), with the journal's backlog, commit count and the number of scopes as details.
 */
@Component("dhcp")
public class DhcpHealthIndicator implements HealthIndicator {

    /** A backlog this deep means the database is not keeping up; clients will see retries. */
    static final int BACKLOG_WARNING = 10_000;

    private final LeaseJournal journal;
    private final ScopeRegistry registry;
    private final DhcpServer server;

    public DhcpHealthIndicator(LeaseJournal journal, ScopeRegistry registry, DhcpServer server) {
        this.journal = journal;
        this.registry = registry;
        this.server = server;
    }

    @Override
    public Health health() {
        Health.Builder health = journal.isRunning() ? Health.up() : Health.down();
        int backlog = journal.backlog();
        if (backlog > BACKLOG_WARNING) {
            health = Health.status("DEGRADED");
        }
        return health.withDetail("scopes", registry.states().size())
                .withDetail("answering", server.isActive())
                .withDetail("journalBacklog", backlog)
                .withDetail("journalCommits", journal.commits())
                .withDetail("notYetInDatabase", journal.storeBacklog())
                .withDetail("committedLeaseChanges", journal.committedChanges())
                .build();
    }
}
