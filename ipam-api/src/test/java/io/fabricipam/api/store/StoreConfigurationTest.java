package io.fabricipam.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.store.LeaderEpochStore;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.ScopeStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The stores come up on Boot's DataSource after Flyway, as the application wires them. */
class StoreConfigurationTest {

    /** Reads the store while the context starts, as the scope administration does at start. */
    @Configuration(proxyBeanMethods = false)
    static class LoadsAtStart {
        @Bean
        List<Scope> scopesAtStart(ScopeStore scopes) {
            return scopes.scopes();
        }
    }

    private final String url = "jdbc:h2:mem:config-" + UUID.randomUUID() + ";MODE=PostgreSQL";
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class))
            .withUserConfiguration(StoreConfiguration.class, LoadsAtStart.class)
            .withPropertyValues("spring.datasource.url=" + url);

    @Test
    void theJdbcStoresRunOnTheMigratedSchema() throws SQLException {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ScopeStore.class)).isInstanceOf(JdbcScopeStore.class);
            assertThat(context.getBean(LeaseStore.class)).isInstanceOf(JdbcLeaseStore.class);
            assertThat(context.getBean(LeaderEpochStore.class).current()).isEqualTo(LeaderEpochStore.Epoch.NONE);
            assertThat(context.getBean("scopesAtStart", List.class)).isEmpty();

            ScopeStore scopes = context.getBean(ScopeStore.class);
            UUID id = UUID.randomUUID();
            scopes.save(new Scope(id, "lab", Ipv4Network.parse("10.0.0.0/24"), null, 0, null, null, 3600, null, null,
                    null, null, null, 0));
            assertThat(scopes.scope(id)).isPresent();
        });
        // The stores keep H2 open past the pool (DB_CLOSE_DELAY -1); free this one.
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }
}
