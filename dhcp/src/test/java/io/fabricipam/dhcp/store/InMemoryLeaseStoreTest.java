package io.fabricipam.dhcp.store;

class InMemoryLeaseStoreTest extends LeaseStoreContract {

    @Override
    protected LeaseStore newStore() {
        return new InMemoryLeaseStore();
    }
}
