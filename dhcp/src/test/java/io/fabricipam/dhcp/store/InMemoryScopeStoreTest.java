package io.fabricipam.dhcp.store;

class InMemoryScopeStoreTest extends ScopeStoreContract {

    @Override
    protected ScopeStore newStore() {
        return new InMemoryScopeStore();
    }
}
