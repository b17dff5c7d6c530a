package io.fabricipam.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.testing.HeldJournal;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.util.concurrent.Future;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Operators' views of and actions on live leases: paging, utilization, force-release and its outcomes. */
class LeaseAdministrationTest extends AdministrationFixture {

    @Nested
    class ForceRelease {

        @BeforeEach
        void start() {
            open(new StoreLeaseJournal(leases, 64));
        }

        @Test
        void endsTheLeaseInMemoryAndInTheStoreAndTheAddressIsFreeAgain() throws Exception {
            Scope scope = administration.create(lab());
            Ipv4Address a = bind("02:00:00:00:00:01");
            int free = directory.state(scope.id()).orElseThrow().freeCount();

            Lease released = leaseAdministration.forceRelease(scope.id(), a, "alice");

            assertThat(released.state()).isEqualTo(LeaseState.RELEASED);
            assertThat(directory.state(scope.id()).orElseThrow().leaseAt(a).state()).isEqualTo(LeaseState.RELEASED);
            assertThat(directory.state(scope.id()).orElseThrow().freeCount()).isEqualTo(free + 1);
            assertThat(stored(scope, a).state()).isEqualTo(LeaseState.RELEASED);
            assertThat(leases.history(scope.id(), a, 1).get(0).type()).isEqualTo(LeaseEventType.FORCE_RELEASED);
            assertThat(leases.history(scope.id(), a, 1).get(0).detail()).isEqualTo("by alice");
        }

        @Test
        void anAddressWithoutAnActiveLeaseOrAnUnknownScopeIsNotFound() throws Exception {
            Scope scope = administration.create(lab());
            Ipv4Address a = bind("02:00:00:00:00:01");
            leaseAdministration.forceRelease(scope.id(), a, "alice");
            assertThatThrownBy(() -> leaseAdministration.forceRelease(scope.id(), a, "alice"))
                    .isInstanceOfSatisfying(ScopeException.class, e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.NOT_FOUND));
            assertThatThrownBy(() -> leaseAdministration.forceRelease(scope.id(), Ipv4Address.parse("10.20.0.150"), "alice"))
                    .isInstanceOfSatisfying(ScopeException.class, e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.NOT_FOUND));
            assertThatThrownBy(() -> leaseAdministration.forceRelease(UUID.randomUUID(), a, "alice"))
                    .isInstanceOfSatisfying(ScopeException.class, e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.NOT_FOUND));
        }

        @Test
        void theClientsNextRenewalIsRefused() throws Exception {
            Scope scope = administration.create(lab());
            Ipv4Address a = bind("02:00:00:00:00:01");
            leaseAdministration.forceRelease(scope.id(), a, "alice");
            assertThat(bind("02:00:00:00:00:02", a)).isEqualTo(a); // someone else takes the address
            var renewal = server.handle(ClientPacket.request().mac("02:00:00:00:00:01").ciaddr(a.toString()).decoded(), LINK)
                    .get(5, TimeUnit.SECONDS);
            assertThat(renewal.reply().messageType()).isEqualTo(DhcpMessageType.NAK);
        }
    }


    /** Item 4: a force-release is undone only when the journal fails, never because the caller stopped waiting. */
    @Nested
    class ForceReleaseOutcomes {

        HeldJournal held;

        @BeforeEach
        void start() {
            held = new HeldJournal(new StoreLeaseJournal(leases, 64));
            open(held);
        }

        @Test
        void aReleaseTheJournalCommitsLateStaysReleasedAndTheCallerIsToldItIsStillBeingCommitted() throws Exception {
            Scope lab = administration.create(lab());
            Ipv4Address a = bind("02:00:00:00:00:01");
            held.hold();
            assertThatThrownBy(() -> leaseAdministration.forceRelease(lab.id(), a, "alice"))
                    .isInstanceOfSatisfying(ScopeException.class,
                            e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.COMMIT_PENDING));
            assertThat(directory.state(lab.id()).orElseThrow().leaseAt(a).state()).isEqualTo(LeaseState.RELEASED);

            held.release(); // the journal commits after the caller gave up waiting
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (stored(lab, a).state() != LeaseState.RELEASED && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(stored(lab, a).state()).isEqualTo(LeaseState.RELEASED);
            memoryAgreesWithStore(lab.id());
        }

        @Test
        void aReleaseTheJournalFailsIsUndoneInMemory() throws Exception {
            Scope lab = administration.create(lab());
            Ipv4Address a = bind("02:00:00:00:00:01");
            held.hold();
            Future<Object> release = inBackground(() -> leaseAdministration.forceRelease(lab.id(), a, "alice"));
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (held.heldCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            held.fail(new IllegalStateException("disk full"));
            assertThatThrownBy(() -> release.get(BOUND.toSeconds(), TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(ScopeException.class,
                            e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.UNAVAILABLE));
            assertThat(directory.state(lab.id()).orElseThrow().leaseAt(a).state()).isEqualTo(LeaseState.BOUND);
            memoryAgreesWithStore(lab.id());
        }
    }


    @Nested
    class Views {

        @BeforeEach
        void start() {
            open(new StoreLeaseJournal(leases, 64));
        }

        @Test
        void theLeaseTableIsPagedAcrossScopesInNetworkOrder() throws Exception {
            administration.create(lab());
            Scope b = administration.create(other());
            Ipv4Address a1 = bind("02:00:00:00:00:01");
            Ipv4Address a2 = bind("02:00:00:00:00:02");
            RequestContext linkB = LINK_B;
            var offer = server.handle(ClientPacket.discover().mac("02:00:00:00:00:03").decoded(), linkB).get(5, TimeUnit.SECONDS);
            server.handle(ClientPacket.request().mac("02:00:00:00:00:03").serverId("10.30.0.1")
                    .requested(offer.reply().yiaddr().toString()).decoded(), linkB).get(5, TimeUnit.SECONDS);

            LeaseAdministration.LeasePage all = leaseAdministration.leases(new LeaseQuery(null, null, null, null, null), 0, 10);
            LeaseAdministration.LeasePage second = leaseAdministration.leases(new LeaseQuery(null, null, null, null, null), 1, 1);
            LeaseAdministration.LeasePage ofB = leaseAdministration.leases(new LeaseQuery(b.id(), null, null, null, null), 0, 10);

            assertThat(all.total()).isEqualTo(3);
            assertThat(all.leases()).extracting(Lease::address).containsExactly(a1, a2, offer.reply().yiaddr());
            assertThat(second.leases()).extracting(Lease::address).containsExactly(a2);
            assertThat(second.total()).isEqualTo(3);
            assertThat(ofB.leases()).singleElement().extracting(Lease::scopeId).isEqualTo(b.id());
        }

        @Test
        void utilizationCountsTheLiveState() throws Exception {
            Scope lab = administration.create(lab());
            bind("02:00:00:00:00:01");
            administration.reserve(lab.id(), MacAddress.parse("02:00:00:ff:00:01"), null, null);

            Utilization.Counts c = leaseAdministration.utilization(lab.id()).scope();

            assertThat(c.total()).isEqualTo(100);
            assertThat(c.bound()).isEqualTo(1);
            assertThat(c.reserved()).isEqualTo(1);
            assertThat(c.free()).isEqualTo(98);
            assertThatThrownBy(() -> leaseAdministration.utilization(UUID.randomUUID()))
                    .isInstanceOfSatisfying(ScopeException.class, e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.NOT_FOUND));
        }
    }
}
