package io.fabricipam.dhcp.store;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

class InMemoryLeaseStoreTest extends LeaseStoreContract {

    private final Set<UUID> scopes = ConcurrentHashMap.newKeySet();

    @Override
    protected LeaseStore newStore() {
        scopes.clear();
        scopes.add(SCOPE);
        scopes.add(OTHER_SCOPE);
        return new InMemoryLeaseStore(scopes::contains);
    }

    @Override
    protected void deleteScope(UUID scopeId) {
        scopes.remove(scopeId);
    }
}
