package io.fabricipam.api;

import io.fabricipam.dhcp.store.InMemoryLeaseStore;
import io.fabricipam.dhcp.store.InMemoryScopeStore;
import io.fabricipam.dhcp.store.LeaseStore;
import io.fabricipam.dhcp.store.ScopeStore;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** In-memory stores for API slices (the JDBC stores pass the same contract suites). */
@TestConfiguration(proxyBeanMethods = false)
public class InMemoryStores {

    @Bean
    ScopeStore scopeStore() {
        return new InMemoryScopeStore();
    }

    /** Refuses lease rows of unknown scopes, as the JDBC stores' foreign key does. */
    @Bean
    LeaseStore leaseStore(ScopeStore scopes) {
        return InMemoryLeaseStore.of(scopes);
    }
}
