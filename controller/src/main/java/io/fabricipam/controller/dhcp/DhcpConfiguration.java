package io.fabricipam.controller.dhcp;

import io.fabricipam.dhcp.server.DhcpListener;
import io.fabricipam.dhcp.server.DhcpResponder;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.controller.linux.LinuxNative;
import io.fabricipam.dhcp.journal.FileLeaseJournal;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.server.ResponderSettings;
import io.fabricipam.dhcp.server.LeaseAdministration;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.ScopeStore;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The DHCP core as beans; {@link DhcpLifecycle} starts and stops them in order. */
@Configuration(proxyBeanMethods = false)
public class DhcpConfiguration {

    /** The database copy of the journal runs in the background: nice 10 gets ~1/10 of a normal thread's CPU
     *  under contention, and all of an idle core. */
    static final int COPIER_NICE = 10;

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LeaseJournal leaseJournal(LeaseStore leaseStore, DhcpProperties properties,
            @Value("${fabric.data-dir}") String dataDir) {
        if (properties.journal() == DhcpProperties.JournalMode.DATABASE) {
            return new StoreLeaseJournal(leaseStore, properties.journalBatch(), properties.effectiveJournalWindow());
        }
        FileLeaseJournal.Settings defaults = FileLeaseJournal.Settings.in(Path.of(dataDir, "journal"));
        return new FileLeaseJournal(leaseStore, new FileLeaseJournal.Settings(defaults.dir(), properties.journalBatch(),
                properties.effectiveJournalWindow(), properties.journalFsync(), defaults.segmentBytes(), defaults.storeBatch(),
                defaults.storeLinger()), () -> LinuxNative.niceCurrentThread(COPIER_NICE));
    }

    /** The live scopes the DHCP workers look up. */
    @Bean
    ScopeDirectory scopeDirectory() {
        return new ScopeDirectory();
    }

    /** Operators' changes to scopes and reservations (REST, configuration file), and loading at start. */
    @Bean
    ScopeAdministration scopeAdministration(ScopeDirectory directory, ScopeStore scopeStore, LeaseStore leaseStore,
            LeaseJournal journal, Clock clock) {
        return new ScopeAdministration(directory, scopeStore, leaseStore, journal, clock);
    }

    /** Operators' views of and actions on live leases: paging, utilization, force-release. */
    @Bean
    LeaseAdministration leaseAdministration(ScopeDirectory directory, LeaseJournal journal, Clock clock) {
        return new LeaseAdministration(directory, journal, clock);
    }

    @Bean
    DhcpServer dhcpServer(ScopeDirectory directory, LeaseJournal journal, DhcpProperties properties, Clock clock,
            DhcpListener listener) {
        DhcpResponder responder = new DhcpResponder(new ResponderSettings(properties.offerHold(), properties.declineProbation()));
        return new DhcpServer(directory, journal, responder, clock, listener);
    }
}
