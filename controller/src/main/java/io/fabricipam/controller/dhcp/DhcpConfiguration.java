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

    /** Where the file journal lives, under {@code fabric.data-dir}. */
    static final String JOURNAL_DIRECTORY = "journal";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The lease journal: with {@code journal=file} in {@code fabric.data-dir/journal} (an absolute path, see
     * DataDirectory), bound to the database it feeds; its messages name the database by its URL.
     */
    @Bean
    LeaseJournal leaseJournal(LeaseStore leaseStore, DhcpProperties properties, Clock clock,
            @Value("${fabric.data-dir}") String dataDir,
            @Value("${spring.datasource.url:the configured database}") String database) {
        if (properties.journal() == DhcpProperties.JournalMode.DATABASE) {
            return new StoreLeaseJournal(leaseStore, properties.journalBatch(), properties.effectiveJournalWindow());
        }
        FileLeaseJournal.Settings defaults = FileLeaseJournal.Settings.in(Path.of(dataDir, JOURNAL_DIRECTORY));
        return new FileLeaseJournal(leaseStore, new FileLeaseJournal.Settings(defaults.dir(), properties.journalBatch(),
                properties.effectiveJournalWindow(), properties.journalFsync(), defaults.segmentBytes(), defaults.storeBatch(),
                defaults.storeLinger(), withoutPassword(database)), () -> LinuxNative.niceCurrentThread(COPIER_NICE), clock);
    }

    /** A JDBC URL fit for a log line: a password in it (PostgreSQL's {@code ?password=}) is masked. */
    static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
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
