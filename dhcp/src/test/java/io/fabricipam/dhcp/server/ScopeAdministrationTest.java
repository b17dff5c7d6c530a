package io.fabricipam.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.testing.ParallelClients;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Operators' changes to live scopes: memory and store agree after every outcome, and DHCP never waits. */
class ScopeAdministrationTest extends AdministrationFixture {

    /** Item 2: a slow database never stalls the DHCP answers of the scope an operator changes. */
    @Nested
    class NoStoreIoUnderTheScopeLock {

        @BeforeEach
        void start() {
            open(new StoreLeaseJournal(leases, 64));
        }

        @AfterEach
        void openGates() {
            scopes.gate.open();
            leases.gate.open();
        }

        @Test
        void clientsOfAScopeAreAnsweredWhileItsUpdateHangsInTheStore() throws Exception {
            Scope lab = administration.create(lab());
            scopes.gate.close();
            Future<Object> update = inBackground(() -> administration.update(
                    lab.withExclusions(List.of(AddressRange.of("10.20.0.190", "10.20.0.199")))));
            assertThat(scopes.gate.awaitWriter(BOUND)).as("the update reached the store").isTrue();

            List<String> during = ParallelClients.exchange(server, LINK, "10.20.0.1", 1, 40, BOUND);

            assertThat(update).as("the store write still hangs").isNotDone();
            allAcked(during, "10.20.0.1");
            scopes.gate.open();
            update.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            memoryAgreesWithStore(lab.id());
            assertThat(directory.state(lab.id()).orElseThrow().scope().exclusions()).hasSize(1);
        }

        @Test
        void clientsOfAScopeAreAnsweredWhileAReservationHangsInTheStore() throws Exception {
            Scope lab = administration.create(lab());
            scopes.gate.close();
            Future<Object> reserve = inBackground(() -> administration.reserve(lab.id(),
                    MacAddress.parse("02:00:00:ff:00:01"), null, "vm"));
            assertThat(scopes.gate.awaitWriter(BOUND)).isTrue();

            List<String> during = ParallelClients.exchange(server, LINK, "10.20.0.1", 1, 40, BOUND);

            assertThat(reserve).isNotDone();
            allAcked(during, "10.20.0.1");
            scopes.gate.open();
            Reservation r = (Reservation) reserve.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            // the reserved address was held back from the clients while the reservation was being written
            assertThat(during).doesNotContain("ACK " + r.address());
            memoryAgreesWithStore(lab.id());
        }

        @Test
        void clientsOfAScopeAreAnsweredWhileAReservationIsRemovedFromTheStore() throws Exception {
            Scope lab = administration.create(lab());
            administration.reserve(lab.id(), MacAddress.parse("02:00:00:ff:00:01"), null, "vm");
            scopes.gate.close();
            Future<Object> unreserve = inBackground(() -> administration.unreserve(lab.id(),
                    MacAddress.parse("02:00:00:ff:00:01")));
            assertThat(scopes.gate.awaitWriter(BOUND)).isTrue();

            List<String> during = ParallelClients.exchange(server, LINK, "10.20.0.1", 1, 40, BOUND);

            assertThat(unreserve).isNotDone();
            allAcked(during, "10.20.0.1");
            scopes.gate.open();
            unreserve.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            memoryAgreesWithStore(lab.id());
        }

        @Test
        void aScopeBeingDeletedStopsAnsweringAtOnceAndOtherScopesGoOn() throws Exception {
            Scope lab = administration.create(lab());
            administration.create(other());
            allAcked(ParallelClients.exchange(server, LINK, "10.20.0.1", 1, 10, BOUND), "10.20.0.1");
            leases.gate.close();
            Future<Object> delete = inBackground(() -> {
                administration.delete(lab.id(), true);
                return null;
            });
            assertThat(leases.gate.awaitWriter(BOUND)).isTrue();

            List<String> others = ParallelClients.exchange(server, LINK_B, "10.30.0.1", 2, 40, BOUND);
            List<String> deleted = ParallelClients.exchange(server, LINK, "10.20.0.1", 3, 40, BOUND);

            assertThat(delete).isNotDone();
            allAcked(others, "10.30.0.1");
            assertThat(deleted).allSatisfy(r -> assertThat(r).isEqualTo("NO_SCOPE"));
            leases.gate.open();
            delete.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertThat(leases.leases(lab.id())).as("no lease row of the deleted scope is left").isEmpty();
            assertThat(scopes.scope(lab.id())).isEmpty();
            assertThat(directory.state(lab.id())).isEmpty();
        }

        @Test
        void aScopeMovingToAnotherNetworkStopsAnsweringOnTheOldOneAndOtherScopesGoOn() throws Exception {
            Scope lab = administration.create(lab());
            administration.create(other());
            leases.gate.close();
            Scope moved = new Scope(lab.id(), "lab", Ipv4Network.parse("10.21.0.0/24"), Ipv4Address.parse("10.21.0.1"), 0,
                    List.of(AddressRange.of("10.21.0.100", "10.21.0.199")), List.of(), 3600, null, null, null, null, null,
                    lab.version());
            Future<Object> update = inBackground(() -> administration.update(moved));
            assertThat(leases.gate.awaitWriter(BOUND)).isTrue();

            List<String> others = ParallelClients.exchange(server, LINK_B, "10.30.0.1", 2, 40, BOUND);
            List<String> old = ParallelClients.exchange(server, LINK, "10.20.0.1", 3, 20, BOUND);

            assertThat(update).isNotDone();
            allAcked(others, "10.30.0.1");
            assertThat(old).allSatisfy(r -> assertThat(r).isEqualTo("NO_SCOPE"));
            leases.gate.open();
            update.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            RequestContext newLink = RequestContext.onLink(List.of(Ipv4Address.parse("10.21.0.1")), "test:eth2");
            allAcked(ParallelClients.exchange(server, newLink, "10.21.0.1", 4, 10, BOUND), "10.21.0.1");
            memoryAgreesWithStore(lab.id());
        }
    }

    /** Item 2: after success, a store failure or a stale version, memory and store hold the same. */
    @Nested
    class MemoryAndStoreAgree {

        @BeforeEach
        void start() {
            open(new StoreLeaseJournal(leases, 64));
        }

        @AfterEach
        void openGates() {
            scopes.gate.open();
            leases.gate.open();
        }

        static ScopeException.Kind kind(Throwable e) {
            Throwable t = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            assertThat(t).isInstanceOf(ScopeException.class);
            return ((ScopeException) t).kind();
        }

        @Test
        void anUpdateTheStoreRefusesChangesNothing() throws Exception {
            Scope lab = administration.create(lab());
            bind("02:00:00:00:00:01");
            scopes.gate.failNext(new IllegalStateException("database down"));
            assertThatThrownBy(() -> administration.update(lab.withPools(List.of(AddressRange.of("10.20.0.100", "10.20.0.120")))))
                    .hasMessageContaining("database down");
            assertThat(directory.state(lab.id()).orElseThrow().scope()).isEqualTo(lab.withVersion(1));
            memoryAgreesWithStore(lab.id());
            assertThat(bind("02:00:00:00:00:02", Ipv4Address.parse("10.20.0.150"))).isEqualTo(Ipv4Address.parse("10.20.0.150"));
        }

        @Test
        void aStaleUpdateChangesNothing() throws Exception {
            Scope lab = administration.create(lab());
            administration.update(lab.withVersion(1).withExclusions(List.of(AddressRange.of("10.20.0.150", "10.20.0.150"))));
            assertThatThrownBy(() -> administration.update(lab.withVersion(1).withPools(List.of())))
                    .satisfies(e -> assertThat(kind(e)).isEqualTo(ScopeException.Kind.STALE));
            assertThat(directory.state(lab.id()).orElseThrow().scope().pools()).hasSize(1);
            memoryAgreesWithStore(lab.id());
        }

        @Test
        void whileAnUpdateIsWrittenNoAddressIsLeasedThatEitherOutcomeWouldNotAllow() throws Exception {
            Scope lab = administration.create(lab());
            // the change moves the pool's top: .150-.199 leave, .200-.210 join
            Scope changed = lab.withVersion(1).withPools(List.of(AddressRange.of("10.20.0.100", "10.20.0.149"),
                    AddressRange.of("10.20.0.200", "10.20.0.210")));
            scopes.gate.close();
            scopes.gate.failNext(new IllegalStateException("database down"));
            Future<Object> update = inBackground(() -> administration.update(changed));
            assertThat(scopes.gate.awaitWriter(BOUND)).isTrue();

            Ipv4Address leaving = bind("02:00:00:00:00:01", Ipv4Address.parse("10.20.0.180"));
            Ipv4Address joining = bind("02:00:00:00:00:02", Ipv4Address.parse("10.20.0.205"));

            assertThat(update).isNotDone();
            assertThat(leaving.toString()).isNotEqualTo("10.20.0.180");
            assertThat(joining.toString()).isNotEqualTo("10.20.0.205");
            scopes.gate.open();
            assertThatThrownBy(() -> update.get(BOUND.toSeconds(), TimeUnit.SECONDS)).hasMessageContaining("database down");
            memoryAgreesWithStore(lab.id());
            assertThat(directory.state(lab.id()).orElseThrow().scope()).isEqualTo(lab.withVersion(1));
            // the old configuration is whole again
            assertThat(bind("02:00:00:00:00:03", Ipv4Address.parse("10.20.0.180"))).isEqualTo(Ipv4Address.parse("10.20.0.180"));
        }

        @Test
        void aReservationTheStoreRefusesIsNotKeptAndItsAddressIsFreeAgain() throws Exception {
            Scope lab = administration.create(lab());
            scopes.gate.failNext(new IllegalStateException("database down"));
            MacAddress vm = MacAddress.parse("02:00:00:ff:00:01");
            assertThatThrownBy(() -> administration.reserve(lab.id(), vm, Ipv4Address.parse("10.20.0.150"), null))
                    .hasMessageContaining("database down");
            assertThat(directory.state(lab.id()).orElseThrow().reservationOf(vm)).isNull();
            memoryAgreesWithStore(lab.id());
            assertThat(bind("02:00:00:00:00:02", Ipv4Address.parse("10.20.0.150"))).isEqualTo(Ipv4Address.parse("10.20.0.150"));
        }

        @Test
        void aMovedReservationTheStoreRefusesStaysWhereItWas() throws Exception {
            Scope lab = administration.create(lab());
            MacAddress vm = MacAddress.parse("02:00:00:ff:00:01");
            administration.reserve(lab.id(), vm, Ipv4Address.parse("10.20.0.150"), "vm");
            scopes.gate.failNext(new IllegalStateException("database down"));
            assertThatThrownBy(() -> administration.reserve(lab.id(), vm, Ipv4Address.parse("10.20.0.160"), "vm"))
                    .hasMessageContaining("database down");
            assertThat(directory.state(lab.id()).orElseThrow().reservationOf(vm).address())
                    .isEqualTo(Ipv4Address.parse("10.20.0.150"));
            memoryAgreesWithStore(lab.id());
        }

        @Test
        void aRemovalTheStoreRefusesKeepsTheReservation() throws Exception {
            Scope lab = administration.create(lab());
            MacAddress vm = MacAddress.parse("02:00:00:ff:00:01");
            administration.reserve(lab.id(), vm, Ipv4Address.parse("10.20.0.150"), "vm");
            scopes.gate.failNext(new IllegalStateException("database down"));
            assertThatThrownBy(() -> administration.unreserve(lab.id(), vm)).hasMessageContaining("database down");
            assertThat(directory.state(lab.id()).orElseThrow().reservationOf(vm)).isNotNull();
            memoryAgreesWithStore(lab.id());
        }

        @Test
        void aDeletionWhoseLeaseDeleteFailsPutsTheScopeBackWhole() throws Exception {
            Scope lab = administration.create(lab());
            Ipv4Address a = bind("02:00:00:00:00:01");
            leases.gate.failNext(new IllegalStateException("database down"));
            assertThatThrownBy(() -> administration.delete(lab.id(), true)).hasMessageContaining("database down");
            assertThat(directory.state(lab.id())).isPresent();
            assertThat(directory.state(lab.id()).orElseThrow().leaseAt(a).state()).isEqualTo(LeaseState.BOUND);
            memoryAgreesWithStore(lab.id());
            assertThat(bind("02:00:00:00:00:02")).isNotNull();
        }

        @Test
        void aDeletionWhoseScopeDeleteFailsPutsTheScopeBackAsTheStoreHasIt() throws Exception {
            Scope lab = administration.create(lab());
            bind("02:00:00:00:00:01");
            scopes.gate.failNext(new IllegalStateException("database down"));
            assertThatThrownBy(() -> administration.delete(lab.id(), true)).hasMessageContaining("database down");
            assertThat(directory.state(lab.id())).isPresent();
            memoryAgreesWithStore(lab.id());
            assertThat(bind("02:00:00:00:00:02")).isNotNull();
        }
    }


    /** Item 5: one scope that cannot be loaded does not take DHCP down for the others. */
    @Nested
    class Load {

        @Test
        void aStoredScopeThatCannotBeLoadedIsSkippedAndTheOthersServe() throws Exception {
            Scope good = scopes.save(lab());
            Scope bad = scopes.save(new Scope(UUID.randomUUID(), "bad", Ipv4Network.parse("10.30.0.0/24"),
                    Ipv4Address.parse("10.30.0.1"), 0, List.of(AddressRange.of("10.30.0.100", "10.30.0.199")), List.of(),
                    3600, null, null, new io.fabricipam.dhcp.scope.ScopeOptions(null, null, null, null, null, null, null,
                    "pxelinux-\u00e9.0", null), null, null, 0));
            open(new StoreLeaseJournal(leases, 64));

            administration.load();

            assertThat(directory.state(good.id())).isPresent();
            assertThat(directory.state(bad.id())).isEmpty();
            assertThat(bind("02:00:00:00:00:01")).isNotNull();
            assertThat(administration.unloadable()).singleElement().satisfies(u -> {
                assertThat(u.id()).isEqualTo(bad.id());
                assertThat(u.name()).isEqualTo("bad");
                assertThat(u.scope()).isEqualTo(bad);
                assertThat(u.reason()).contains("printable ASCII");
            });
            // asked for, it is not found, saying why
            assertThatThrownBy(() -> administration.reserve(bad.id(), MacAddress.parse("02:00:00:00:00:09"), null, null))
                    .isInstanceOfSatisfying(ScopeException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ScopeException.Kind.NOT_FOUND);
                        assertThat(e.getMessage()).contains("could not be loaded");
                    });
            // its name stays taken
            assertThatThrownBy(() -> administration.create(new Scope(UUID.randomUUID(), "bad", Ipv4Network.parse("10.31.0.0/24"),
                    null, 0, List.of(), List.of(), 3600, null, null, null, null, null, 0)))
                    .isInstanceOfSatisfying(ScopeException.class, e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.DUPLICATE_NAME));
        }

        @Test
        void anUpdateRepairsAScopeThatCouldNotBeLoadedAndItServesAtOnce() throws Exception {
            Scope bad = scopes.save(new Scope(UUID.randomUUID(), "lab", Ipv4Network.parse("10.20.0.0/24"),
                    Ipv4Address.parse("10.20.0.1"), 0, List.of(AddressRange.of("10.20.0.100", "10.20.0.199")), List.of(),
                    3600, null, null, new io.fabricipam.dhcp.scope.ScopeOptions(null, null, null, null, null, null,
                    "tftp\u0001", null, null), null, null, 0));
            open(new StoreLeaseJournal(leases, 64));
            administration.load();
            assertThat(administration.unloadable()).hasSize(1);
            // still not loadable: refused, nothing stored
            assertThatThrownBy(() -> administration.update(bad.withPools(List.of())))
                    .isInstanceOfSatisfying(ScopeException.class, e -> assertThat(e.kind()).isEqualTo(ScopeException.Kind.INVALID));
            assertThat(scopes.scope(bad.id())).contains(bad);

            Scope fixed = administration.update(new Scope(bad.id(), "lab", bad.network(), bad.gateway(), 0, bad.pools(),
                    List.of(), 3600, null, null, null, null, null, bad.version()));

            assertThat(administration.unloadable()).isEmpty();
            assertThat(directory.state(bad.id())).isPresent();
            memoryAgreesWithStore(bad.id());
            assertThat(fixed.version()).isEqualTo(bad.version() + 1);
            assertThat(bind("02:00:00:00:00:01")).isNotNull();
        }

        @Test
        void aScopeThatCouldNotBeLoadedCanBeDeleted() {
            Scope bad = scopes.save(new Scope(UUID.randomUUID(), "bad", Ipv4Network.parse("10.30.0.0/24"),
                    Ipv4Address.parse("10.30.0.1"), 0, List.of(), List.of(), 3600, null, null,
                    new io.fabricipam.dhcp.scope.ScopeOptions(null, "bad\nname", null, null, null, null, null, null, null),
                    null, null, 0));
            open(new StoreLeaseJournal(leases, 64));
            administration.load();
            assertThat(administration.unloadable().get(0).reason()).doesNotContain("\n"); // no forged log lines

            administration.delete(bad.id(), false);

            assertThat(administration.unloadable()).isEmpty();
            assertThat(scopes.scope(bad.id())).isEmpty();
        }
    }

    /** Item 3: a scope retired under its lock decides nothing more, whoever picked it before. */
    @Nested
    class RetiredScopes {

        @BeforeEach
        void start() {
            open(new StoreLeaseJournal(leases, 64));
        }

        /** What a worker that looked the scope up just before its deletion finds under the scope lock. */
        void retireInPlace(ScopeState state) {
            state.lock().lock();
            try {
                state.retire();
            } finally {
                state.lock().unlock();
            }
        }

        @Test
        void aRequestForAScopeRetiredSinceItWasPickedIsDroppedWithNoScope() throws Exception {
            Scope lab = administration.create(lab());
            retireInPlace(directory.state(lab.id()).orElseThrow());

            DhcpServer.Outcome outcome = server.handle(ClientPacket.discover().mac("02:00:00:00:00:01").decoded(), LINK)
                    .get(5, TimeUnit.SECONDS);

            assertThat(outcome.reply()).isNull();
            assertThat(outcome.dropped()).isEqualTo(io.fabricipam.dhcp.codec.DropReason.NO_SCOPE);
            assertThat(leases.leases(lab.id())).isEmpty();
        }

        @Test
        void onASharedNetworkTheNextScopeServesInstead() throws Exception {
            Scope lab = administration.create(lab());
            Scope second = administration.create(new Scope(UUID.randomUUID(), "second", Ipv4Network.parse("10.21.0.0/24"),
                    Ipv4Address.parse("10.21.0.1"), 0, List.of(AddressRange.of("10.21.0.100", "10.21.0.199")), List.of(),
                    3600, null, null, null, null, null, 0));
            RequestContext shared = RequestContext.onLink(List.of(Ipv4Address.parse("10.20.0.1"),
                    Ipv4Address.parse("10.21.0.1")), "test:eth0");
            retireInPlace(directory.state(lab.id()).orElseThrow());

            DhcpServer.Outcome offer = server.handle(ClientPacket.discover().mac("02:00:00:00:00:01").decoded(), shared)
                    .get(5, TimeUnit.SECONDS);

            assertThat(offer.scope().id()).isEqualTo(second.id());
            assertThat(offer.reply().yiaddr().toString()).startsWith("10.21.0.");
        }

        @Test
        void theSweeperLeavesARetiredScopeAlone() throws Exception {
            Scope lab = administration.create(lab());
            Ipv4Address a = bind("02:00:00:00:00:01");
            retireInPlace(directory.state(lab.id()).orElseThrow());
            clock.advance(Duration.ofHours(2)); // the lease has expired

            assertThat(server.sweep()).isZero();
            assertThat(stored(lab, a).state()).isEqualTo(LeaseState.BOUND);
        }
    }
}

