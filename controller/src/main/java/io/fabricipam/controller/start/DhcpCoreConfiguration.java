package io.fabricipam.controller.start;

import io.fabricipam.controller.cluster.ClusterMode;
import io.fabricipam.controller.cluster.ClusterProperties;
import io.fabricipam.controller.dhcp.DhcpCore;
import io.fabricipam.controller.dhcp.DhcpMetrics;
import io.fabricipam.controller.dhcp.DhcpProperties;
import io.fabricipam.controller.dhcp.DhcpWorkers;
import io.fabricipam.controller.dhcp.ScopesProperties;
import io.fabricipam.controller.udp.UdpFrontEnd;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.server.DhcpListener;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.LeaseAdministration;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.ScopeStore;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * The DHCP core and its UDP front end as beans: the ones the early phase started ({@link EarlyDhcp}), or, when
 * the application was started without it (tests), a core built here on the context's stores, started by
 * {@link io.fabricipam.controller.dhcp.DhcpLifecycle} and the front end's own lifecycle. Either way every
 * other bean (REST, OpenFlow, health, metrics) sees one journal, one scope directory, one administration and
 * one server.
 */
@Configuration(proxyBeanMethods = false)
public class DhcpCoreConfiguration {

    @Bean
    DhcpCore dhcpCore(ObjectProvider<EarlyDhcp> early, ObjectProvider<ScopeStore> scopeStore,
            ObjectProvider<LeaseStore> leaseStore, DhcpProperties properties, ScopesProperties scopes,
            @Value("${fabric.data-dir}") String dataDir,
            @Value("${spring.datasource.url:the configured database}") String database, Clock clock, Environment environment) {
        EarlyDhcp started = early.getIfAvailable();
        if (started != null) {
            return started.core();
        }
        ClusterProperties cluster = ClusterMode.check(environment);
        ClusterMode.refuseWithoutEarlyPhase(cluster);
        DhcpProperties effective = ClusterMode.effective(properties, cluster);
        return new DhcpCore(scopeStore.getObject(), leaseStore.getObject(), effective, scopes.scopes(), Path.of(dataDir),
                database, clock);
    }

    @Bean
    UdpFrontEnd udpFrontEnd(ObjectProvider<EarlyDhcp> early, DhcpCore core, DhcpProperties properties) {
        EarlyDhcp started = early.getIfAvailable();
        if (started != null) {
            return started.udpFrontEnd();
        }
        return new UdpFrontEnd(core.server(), core.listener(), properties, core.workers());
    }

    @Bean
    LeaseJournal leaseJournal(DhcpCore core) {
        return core.journal();
    }

    /** The live scopes the DHCP workers look up. */
    @Bean
    ScopeDirectory scopeDirectory(DhcpCore core) {
        return core.directory();
    }

    /** Operators' changes to scopes and reservations (REST, configuration file), and loading at start. */
    @Bean
    ScopeAdministration scopeAdministration(DhcpCore core) {
        return core.administration();
    }

    /** Operators' views of and actions on live leases: paging, utilization, force-release. */
    @Bean
    LeaseAdministration leaseAdministration(DhcpCore core) {
        return core.leaseAdministration();
    }

    @Bean
    DhcpServer dhcpServer(DhcpCore core) {
        return core.server();
    }

    @Bean
    DhcpWorkers dhcpWorkers(DhcpCore core) {
        return core.workers();
    }

    /**
     * What every front end reports to: the core's listener, which from now on forwards to the metrics (with
     * what it counted before they existed).
     */
    @Bean
    @Primary
    DhcpListener dhcpListener(DhcpCore core, DhcpMetrics metrics) {
        core.listener().attach(metrics);
        return core.listener();
    }
}
