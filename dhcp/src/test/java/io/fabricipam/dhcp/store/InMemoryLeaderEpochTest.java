package io.fabricipam.dhcp.store;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

class InMemoryLeaderEpochTest extends LeaderEpochContract {

    private InMemoryLeaseStore rows;
    private InMemoryLeaderEpochStore epochs;

    @Override
    protected void reset() {
        rows = new InMemoryLeaseStore();
        epochs = new InMemoryLeaderEpochStore(Clock.fixed(CLAIM_TIME, ZoneOffset.UTC));
    }

    @Override
    protected LeaderEpochStore epochs() {
        return epochs;
    }

    @Override
    protected LeaseStore unfenced() {
        return rows;
    }

    @Override
    protected LeaseStore fenced(LongSupplier writerEpoch) {
        return rows.fenced(epochs, writerEpoch);
    }
}
