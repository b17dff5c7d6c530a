package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.server.DhcpListener;
import io.fabricipam.dhcp.server.DhcpResponder;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.LeaseJournal;
import io.fabricipam.dhcp.server.ResponderSettings;
import io.fabricipam.dhcp.server.ScopeRegistry;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.ScopeStore;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The DHCP core as beans; {@link DhcpLifecycle} starts and stops them in order. */
@Configuration(proxyBeanMethods = false)
public class DhcpConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LeaseJournal leaseJournal(LeaseStore leaseStore, DhcpProperties properties) {
        return new LeaseJournal(leaseStore, properties.journalBatch(), properties.journalWindow());
    }

    @Bean
    ScopeRegistry scopeRegistry(ScopeStore scopeStore, LeaseStore leaseStore, LeaseJournal journal, Clock clock) {
        return new ScopeRegistry(scopeStore, leaseStore, journal, clock);
    }

    @Bean
    DhcpServer dhcpServer(ScopeRegistry registry, LeaseJournal journal, DhcpProperties properties, Clock clock,
            DhcpListener listener) {
        DhcpResponder responder = new DhcpResponder(new ResponderSettings(properties.offerHold(), properties.declineProbation()));
        return new DhcpServer(registry, journal, responder, clock, listener);
    }
}
