package io.fabricipam.dhcp.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LeaderEpochStore} and the lease store it fences must do together; each implementation runs
 * it by extending this class (in memory here, H2 and PostgreSQL in ipam-api). What a user of a cluster relies
 * on: a claim bumps the epoch by one and names its host; a fenced write at the stored epoch lands; a write of a
 * lower epoch (an old leader) is refused with {@link FencedWriteException}, distinct from the refusals of a
 * change, and changes nothing (rows, history, journal position); and once a claim has returned, no write of the
 * old leader lands any more, even one that was under way.
 */
public abstract class LeaderEpochContract {

    protected static final UUID SCOPE = UUID.fromString("0e0c0000-0000-4000-8000-000000000001");
    /** The time of the clock the epoch store of {@link #reset} is given. */
    protected static final Instant CLAIM_TIME = Instant.parse("2026-12-06T22:00:00.123Z");
    protected static final Instant T0 = Instant.parse("2026-12-06T21:00:00Z");

    /** A new, empty store in which {@link #SCOPE} exists, at epoch 0, its epochs claimed at {@link #CLAIM_TIME}. */
    protected abstract void reset();

    protected abstract LeaderEpochStore epochs();

    /** The lease store as a single host writes it: unfenced. */
    protected abstract LeaseStore unfenced();

    /** The same lease store as a host of a cluster writes it, with the epoch {@code writerEpoch} gives. */
    protected abstract LeaseStore fenced(LongSupplier writerEpoch);

    @BeforeEach
    void emptyStore() {
        reset();
    }

    protected static Lease bound(String address, int client) {
        return bound(Ipv4Address.parse(address), client);
    }

    protected static Lease bound(Ipv4Address address, int client) {
        MacAddress mac = new MacAddress(0x020000000000L + client);
        return new Lease(SCOPE, address, ClientKey.ofHardware(mac), mac, "vm-" + client,
                LeaseState.BOUND, T0, T0.plusSeconds(3600), "host-x:vnet" + client);
    }

    protected static LeaseChange write(Lease lease) {
        return new LeaseChange(null, lease, LeaseEvent.of(LeaseEventType.BOUND, lease, lease.startedAt(), null), true);
    }

    /** Leads from the epoch it claims. */
    protected LeaseStore leader(String host) {
        long epoch = epochs().claim(host);
        return fenced(() -> epoch);
    }

    @Test
    void aNewStoreIsAtEpochZeroHeldByNobody() {
        assertThat(epochs().current()).isEqualTo(LeaderEpochStore.Epoch.NONE);
    }

    @Test
    void aClaimBumpsTheEpochByOneAndRecordsItsHostAndTime() {
        assertThat(epochs().claim("host-a")).isEqualTo(1);
        assertThat(epochs().current()).isEqualTo(new LeaderEpochStore.Epoch(1, "host-a", CLAIM_TIME));

        assertThat(epochs().claim("host-b")).isEqualTo(2);
        assertThat(epochs().claim("host-b")).as("a host that takes over again gets a new epoch").isEqualTo(3);
        assertThat(epochs().current()).isEqualTo(new LeaderEpochStore.Epoch(3, "host-b", CLAIM_TIME));
    }

    @Test
    void aHostWithoutAnIdCannotClaim() {
        epochs().claim("host-a");
        assertThatThrownBy(() -> epochs().claim(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> epochs().claim(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(epochs().current().value()).isEqualTo(1);
    }

    @Test
    void aWriteAtTheCurrentEpochLands() {
        LeaseStore a = leader("host-a");
        Lease lease = bound("10.0.0.1", 1);

        a.apply(List.of(write(lease)), 5);

        assertThat(unfenced().leases(SCOPE)).containsExactly(lease);
        assertThat(unfenced().history(SCOPE, lease.address(), 10)).hasSize(1);
        assertThat(unfenced().journalPosition()).isEqualTo(5);
    }

    @Test
    void aWriteFromALowerEpochIsRefusedAsFencedAndChangesNothing() {
        LeaseStore a = leader("host-a");
        Lease decidedByA = bound("10.0.0.1", 1);
        a.apply(List.of(write(decidedByA)), 3);
        LeaseStore b = leader("host-b");
        Lease decidedByB = bound("10.0.0.2", 2);
        b.apply(List.of(write(decidedByB)), 4);

        // The old leader, back from a pause, hands 10.0.0.2 to its own client and renews 10.0.0.1.
        Throwable refused = catchThrowable(() -> a.apply(List.of(write(bound("10.0.0.2", 7)),
                write(decidedByA.withState(LeaseState.BOUND, T0.plusSeconds(7200)))), 9));

        assertThat(refused).isInstanceOf(FencedWriteException.class)
                .as("not a refusal of the change: the file journal would set it aside")
                .isNotInstanceOf(IllegalStateException.class).isNotInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host-b");
        assertThat(((FencedWriteException) refused).writerEpoch()).isEqualTo(1);
        assertThat(((FencedWriteException) refused).storedEpoch()).isEqualTo(2);
        assertThat(unfenced().leases(SCOPE)).containsExactly(decidedByA, decidedByB);
        assertThat(unfenced().history(SCOPE, decidedByB.address(), 10)).hasSize(1);
        assertThat(unfenced().history(SCOPE, decidedByA.address(), 10)).hasSize(1);
        assertThat(unfenced().journalPosition()).isEqualTo(4);
        assertThatThrownBy(() -> a.apply(List.of(), 10)).as("nor does the old leader move the journal position")
                .isInstanceOf(FencedWriteException.class);
        assertThat(unfenced().journalPosition()).isEqualTo(4);
    }

    @Test
    void theWriterEpochIsReadAtEveryWrite() {
        long[] mine = {epochs().claim("host-a")};
        LeaseStore a = fenced(() -> mine[0]);
        a.apply(List.of(write(bound("10.0.0.1", 1))));
        epochs().claim("host-b");
        assertThatThrownBy(() -> a.apply(List.of(write(bound("10.0.0.2", 2))))).isInstanceOf(FencedWriteException.class);

        mine[0] = epochs().claim("host-a"); // leads again, from a new epoch
        a.apply(List.of(write(bound("10.0.0.2", 2))));

        assertThat(unfenced().leases(SCOPE)).hasSize(2);
    }

    @Test
    void anUnfencedStoreWritesWhateverTheEpoch() {
        epochs().claim("host-a"); // a single host never checks: fencing is for a cluster's writers

        unfenced().apply(List.of(write(bound("10.0.0.1", 1))));

        assertThat(unfenced().leases(SCOPE)).hasSize(1);
    }

    /**
     * An old leader writes without pause while another host claims: every write it was told succeeded is
     * stored, and none lands after the claim has returned, including one under way at the time.
     */
    @Test
    void noWriteOfTheOldLeaderLandsAfterTheClaimReturns() throws Exception {
        LeaseStore a = leader("host-a");
        AtomicInteger acknowledged = new AtomicInteger();
        CompletableFuture<Throwable> oldLeader = CompletableFuture.supplyAsync(() -> {
            try {
                for (int i = 1; i < 60_000; i++) {
                    a.apply(List.of(write(bound(Ipv4Address.parse("10.1.0.0").plus(i), i))));
                    acknowledged.incrementAndGet();
                }
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        while (acknowledged.get() < 20 && !oldLeader.isDone()) {
            Thread.sleep(1);
        }

        epochs().claim("host-b");
        int storedAtClaim = unfenced().leases(SCOPE).size();
        Throwable end = oldLeader.get(30, TimeUnit.SECONDS);

        assertThat(end).as("the old leader is stopped by the store").isInstanceOf(FencedWriteException.class);
        assertThat(unfenced().leases(SCOPE)).as("nothing landed after the claim").hasSize(storedAtClaim)
                .as("and every acknowledged write is stored").hasSize(acknowledged.get());
    }
}
