package io.fabricipam.api;

import io.fabricipam.dhcp.server.DhcpListener;
import io.fabricipam.dhcp.server.DhcpResponder;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.server.ResponderSettings;
import io.fabricipam.dhcp.server.LeaseAdministration;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.ScopeStore;
import io.fabricipam.dhcp.testing.MutableClock;
import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The real DHCP core (directory, administration, journal, server), for API tests: what the API changes is what the DHCP
 * server answers from. Stores come from {@link InMemoryStores} in slices, from the JDBC store configuration
 * in context tests; the application wires the same classes.
 */
@TestConfiguration(proxyBeanMethods = false)
public class CoreBeans {

    public static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Bean
    MutableClock clock() {
        return new MutableClock(T0);
    }

    @Bean(destroyMethod = "close")
    LeaseJournal leaseJournal(LeaseStore leases) {
        LeaseJournal journal = new StoreLeaseJournal(leases, 64);
        journal.start();
        return journal;
    }

    @Bean
    ScopeDirectory scopeDirectory() {
        return new ScopeDirectory();
    }

    @Bean
    ScopeAdministration scopeAdministration(ScopeDirectory directory, ScopeStore scopes, LeaseStore leases,
            LeaseJournal journal, MutableClock clock) {
        return new ScopeAdministration(directory, scopes, leases, journal, clock);
    }

    @Bean
    LeaseAdministration leaseAdministration(ScopeDirectory directory, LeaseJournal journal, MutableClock clock) {
        return new LeaseAdministration(directory, journal, clock);
    }

    @Bean
    DhcpServer dhcpServer(ScopeDirectory directory, LeaseJournal journal, MutableClock clock) {
        return new DhcpServer(directory, journal, new DhcpResponder(ResponderSettings.DEFAULTS), clock, DhcpListener.NONE);
    }
}
