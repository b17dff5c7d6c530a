package io.fabricipam.api.store;

import io.fabricipam.dhcp.store.LeaderEpochStore;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.ScopeStore;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JDBC stores on Boot's {@link DataSource}. Flyway (Boot's auto-configuration, migrations in
 * classpath:db/migration) runs first: the beans are marked as depending on database initialisation,
 * since the DHCP core reads scopes and leases as soon as it starts.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    public ScopeStore scopeStore(DataSource dataSource, ObjectProvider<Clock> clock) {
        return new JdbcScopeStore(dataSource, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    @DependsOnDatabaseInitialization
    public LeaseStore leaseStore(DataSource dataSource) {
        return new JdbcLeaseStore(dataSource);
    }

    /** The leader epoch of a cluster's shared store (V5); a single host never claims one. */
    @Bean
    @DependsOnDatabaseInitialization
    public LeaderEpochStore leaderEpochStore(DataSource dataSource, ObjectProvider<Clock> clock) {
        return new JdbcLeaderEpochStore(dataSource, clock.getIfAvailable(Clock::systemUTC));
    }
}
