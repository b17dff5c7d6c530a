package io.fabricipam.dhcp.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.CustomOption;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeOptions;
import io.fabricipam.dhcp.scope.StaticRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ScopeStore} must do; each implementation runs it by extending this class. Beyond the
 * interface's javadoc, the suite pins down what callers rely on:
 * <ul>
 * <li>{@link ScopeStore#scopes()} is ordered by name, {@link ScopeStore#reservations} by address
 *     (unsigned), and pools and exclusions keep the order they were given in.</li>
 * <li>Scope names are unique; a second scope with a taken name is refused with {@link IllegalStateException}.</li>
 * <li>A reservation needs an existing scope, and an address is reserved for at most one MAC per scope: both
 *     are refused with {@link IllegalStateException}, changing nothing.</li>
 * <li>A host name longer than 255 characters (the most DHCP option 12 carries) is refused with
 *     {@link IllegalArgumentException}.</li>
 * </ul>
 */
public abstract class ScopeStoreContract {

    protected static final UUID ID = UUID.fromString("6f1c1c52-0000-4000-8000-000000000001");
    protected static final UUID OTHER_ID = UUID.fromString("6f1c1c52-0000-4000-8000-000000000002");
    protected static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    protected static final MacAddress MAC_B = MacAddress.parse("fe:dc:ba:98:76:54");
    private static final int WRITERS = 4;

    protected ScopeStore store;

    /** A new, empty store; called before every test. */
    protected abstract ScopeStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    /** A scope with nothing optional set. */
    protected static Scope minimal(UUID id, String name, String cidr) {
        return new Scope(id, name, Ipv4Network.parse(cidr), null, 0, null, null, Scope.DEFAULT_LEASE_TIME,
                null, null, null, null, null, 0);
    }

    /** A scope with every field set, with values at the edges of their types. */
    protected static Scope full(UUID id, String name) {
        ScopeOptions options = new ScopeOptions(
                List.of(ip("192.168.0.53"), ip("9.9.9.9")),
                "lab.example.org",
                List.of("lab.example.org", "example.org"),
                List.of(ip("192.168.0.123")),
                9000,
                List.of(new StaticRoute(Ipv4Network.parse("10.20.0.0/16"), ip("192.168.0.2")),
                        new StaticRoute(Ipv4Network.parse("0.0.0.0/0"), ip("192.168.0.1"))),
                "tftp.lab.example.org",
                "pxelinux.0",
                List.of(new CustomOption(43, CustomOption.Type.HEX, "01:04:de:ad:be:ef"),
                        new CustomOption(150, CustomOption.Type.IP_LIST, "192.168.0.5, 192.168.0.6"),
                        new CustomOption(224, CustomOption.Type.STRING, "rack 7 \"east\""),
                        new CustomOption(225, CustomOption.Type.UINT8, "255"),
                        new CustomOption(226, CustomOption.Type.UINT16, "65535"),
                        new CustomOption(227, CustomOption.Type.UINT32, "4294967295"),
                        new CustomOption(228, CustomOption.Type.BOOLEAN, "yes"),
                        new CustomOption(229, CustomOption.Type.IP, "192.168.255.254")));
        // Pools deliberately out of address order: the store keeps the order it was given.
        return new Scope(id, name, Ipv4Network.parse("192.168.0.0/16"), ip("192.168.0.1"), 4094,
                List.of(AddressRange.of("192.168.200.1", "192.168.255.254"), AddressRange.of("192.168.1.10", "192.168.1.99")),
                List.of(AddressRange.of("192.168.1.50", "192.168.1.59"), AddressRange.single(ip("192.168.200.7"))),
                4294967294L, 1000L, 2000L, options, ip("192.168.0.3"), MAC_B, 0);
    }

    protected static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    // ---- scopes ----

    @Test
    void everyChangeOfAScopeOrAReservationMovesTheRevisionAndReadsDoNot() {
        long r0 = store.revision();
        Scope stored = store.save(minimal(ID, "lab", "10.0.0.0/24"));
        long r1 = store.revision();
        assertThat(r1).isNotEqualTo(r0);
        store.scopes();
        store.scope(ID);
        store.reservations(ID);
        assertThat(store.revision()).as("reads").isEqualTo(r1);
        store.saveReservation(new Reservation(ID, MacAddress.parse("02:00:00:00:00:01"), Ipv4Address.parse("10.0.0.9"), null));
        long r2 = store.revision();
        assertThat(r2).isNotIn(r0, r1);
        assertThat(store.deleteReservation(ID, MacAddress.parse("02:00:00:00:00:01"))).isTrue();
        long r3 = store.revision();
        assertThat(r3).isNotIn(r0, r1, r2);
        assertThat(store.deleteReservation(ID, MacAddress.parse("02:00:00:00:00:01"))).isFalse();
        assertThat(store.revision()).as("nothing deleted").isEqualTo(r3);
        store.save(stored);
        long r4 = store.revision();
        assertThat(r4).isNotIn(r0, r1, r2, r3);
        assertThat(store.delete(ID)).isTrue();
        assertThat(store.revision()).isNotIn(r0, r1, r2, r3, r4);
    }

    @Test
    void aNewStoreIsEmpty() {
        assertThat(store.scopes()).isEmpty();
        assertThat(store.scope(ID)).isEmpty();
        assertThat(store.reservations(ID)).isEmpty();
        assertThat(store.delete(ID)).isFalse();
        assertThat(store.deleteReservation(ID, MAC_A)).isFalse();
    }

    @Test
    void insertAnswersTheScopeAtTheNextVersion() {
        Scope stored = store.save(minimal(ID, "lab", "10.0.0.0/24"));

        assertThat(stored).isEqualTo(minimal(ID, "lab", "10.0.0.0/24").withVersion(1));
        assertThat(store.scope(ID)).contains(stored);
        assertThat(store.scopes()).containsExactly(stored);
    }

    @Test
    void insertOfAnUnknownIdAcceptsAnyVersion() {
        assertThat(store.save(minimal(ID, "lab", "10.0.0.0/24").withVersion(7)).version()).isEqualTo(8);
        assertThat(store.scope(ID).orElseThrow().version()).isEqualTo(8);
    }

    @Test
    void everyFieldRoundTrips() {
        Scope full = full(ID, "full");
        Scope bare = minimal(OTHER_ID, "bare", "10.0.0.0/8");

        store.save(full);
        store.save(bare);

        assertThat(store.scope(ID)).contains(full.withVersion(1));
        assertThat(store.scope(OTHER_ID)).contains(bare.withVersion(1));
        assertThat(store.scope(OTHER_ID).orElseThrow().options()).isEqualTo(ScopeOptions.NONE);
    }

    @Test
    void anUpdateWithTheCurrentVersionReplacesEverything() {
        Scope v1 = store.save(full(ID, "lab"));
        Scope changed = new Scope(ID, "lab-renamed", Ipv4Network.parse("192.168.0.0/16"), null, 12,
                List.of(AddressRange.of("192.168.3.1", "192.168.3.9")), List.of(), 600, null, null,
                new ScopeOptions(List.of(ip("1.1.1.1")), null, null, null, null, null, null, null, null),
                null, null, v1.version());

        Scope v2 = store.save(changed);

        assertThat(v2).isEqualTo(changed.withVersion(2));
        assertThat(store.scope(ID)).contains(v2);
        assertThat(store.scopes()).containsExactly(v2);
    }

    @Test
    void rangesEditedOneAtATimeReadBackInTheOrderGiven() {
        AddressRange a = AddressRange.of("10.0.0.10", "10.0.0.19");
        AddressRange b = AddressRange.of("10.0.0.30", "10.0.0.39");
        AddressRange c = AddressRange.of("10.0.0.50", "10.0.0.59");
        AddressRange d = AddressRange.of("10.0.0.70", "10.0.0.79");
        Scope current = store.save(minimal(ID, "lab", "10.0.0.0/24"));
        // appended, removed in the middle, changed at the end, reordered, emptied: as an operator edits them
        List<List<AddressRange>> edits = List.of(List.of(a), List.of(a, b), List.of(a, b, c), List.of(a, c),
                List.of(a, d), List.of(d, a), List.of(d, a, b, c), List.of(), List.of(c));
        for (List<AddressRange> ranges : edits) {
            current = store.save(current.withPools(ranges).withExclusions(ranges));
            Scope read = store.scope(ID).orElseThrow();
            assertThat(read.pools()).as("pools after %s", ranges).containsExactlyElementsOf(ranges);
            assertThat(read.exclusions()).as("exclusions after %s", ranges).containsExactlyElementsOf(ranges);
        }
    }

    @Test
    void anUpdateFromAStaleVersionIsRefusedAndChangesNothing() {
        Scope v1 = store.save(minimal(ID, "lab", "10.0.0.0/24"));
        Scope v2 = store.save(v1.withPools(List.of(AddressRange.of("10.0.0.10", "10.0.0.20"))));

        // A second writer that read v1 too.
        assertThatThrownBy(() -> store.save(v1.withExclusions(List.of(AddressRange.of("10.0.0.5", "10.0.0.5")))))
                .isInstanceOf(StaleScopeException.class);
        assertThatThrownBy(() -> store.save(v2.withVersion(5))).isInstanceOf(StaleScopeException.class);

        assertThat(store.scope(ID)).contains(v2);
        assertThat(v2.version()).isEqualTo(2);
    }

    @Test
    void ofConcurrentUpdatesFromOneVersionExactlyOneWins() throws Exception {
        Scope v1 = store.save(minimal(ID, "lab", "10.0.0.0/24"));
        List<Scope> attempts = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            attempts.add(v1.withPools(List.of(AddressRange.of("10.0.0.10", "10.0.0." + (20 + i)))));
        }

        List<Object> outcomes = race(attempts);

        assertThat(outcomes).filteredOn(o -> o instanceof Scope).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !(o instanceof Scope)).hasSize(WRITERS - 1)
                .allMatch(o -> o instanceof StaleScopeException);
        Scope winner = (Scope) outcomes.stream().filter(o -> o instanceof Scope).findFirst().orElseThrow();
        assertThat(winner.version()).isEqualTo(2);
        assertThat(store.scope(ID)).contains(winner);
    }

    @Test
    void ofConcurrentInsertsOfOneIdExactlyOneWins() throws Exception {
        List<Scope> attempts = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            attempts.add(minimal(ID, "lab", "10.0.0.0/24").withPools(List.of(AddressRange.of("10.0.0.10", "10.0.0." + (20 + i)))));
        }

        List<Object> outcomes = race(attempts);

        assertThat(outcomes).filteredOn(o -> o instanceof Scope).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !(o instanceof Scope)).hasSize(WRITERS - 1)
                .allMatch(o -> o instanceof StaleScopeException);
        assertThat(store.scopes()).hasSize(1);
        assertThat(store.scope(ID).orElseThrow().version()).isEqualTo(1);
    }

    /** Saves each scope from its own thread, all released at once; answers the saved scope or the exception. */
    private List<Object> race(List<Scope> attempts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(attempts.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (Scope attempt : attempts) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return store.save(attempt);
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : futures) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void scopesAreListedByName() {
        store.save(minimal(ID, "zulu", "10.1.0.0/24"));
        store.save(minimal(OTHER_ID, "alpha", "10.2.0.0/24"));
        UUID third = UUID.randomUUID();
        store.save(minimal(third, "mike", "10.3.0.0/24"));

        assertThat(store.scopes()).extracting(Scope::name).containsExactly("alpha", "mike", "zulu");
    }

    @Test
    void entriesNameEveryScopeWithItsVersion() {
        Scope a = store.save(minimal(ID, "alpha", "10.1.0.0/24"));
        Scope b = store.save(store.save(minimal(OTHER_ID, "beta", "10.2.0.0/24")));

        assertThat(store.entries()).containsExactlyInAnyOrder(new ScopeStore.Entry(ID, "alpha", a.version()),
                new ScopeStore.Entry(OTHER_ID, "beta", b.version()));
    }

    @Test
    void aTakenNameIsRefused() {
        Scope first = store.save(minimal(ID, "lab", "10.0.0.0/24"));

        assertThatThrownBy(() -> store.save(minimal(OTHER_ID, "lab", "10.1.0.0/24")))
                .isInstanceOf(IllegalStateException.class);

        assertThat(store.scopes()).containsExactly(first);
        assertThat(store.scope(OTHER_ID)).isEmpty();
    }

    @Test
    void aNameFreedByARenameCanBeTaken() {
        Scope first = store.save(minimal(ID, "lab", "10.0.0.0/24"));
        store.save(new Scope(ID, "lab-old", first.network(), null, 0, null, null, 3600, null, null, null, null,
                null, first.version()));

        Scope second = store.save(minimal(OTHER_ID, "lab", "10.1.0.0/24"));

        assertThat(store.scopes()).extracting(Scope::name).containsExactly("lab", "lab-old");
        assertThat(store.scope(OTHER_ID)).contains(second);
    }

    @Test
    void deleteRemovesTheScopeAndItsReservationsOnly() {
        store.save(minimal(ID, "lab", "10.0.0.0/24"));
        Scope other = store.save(minimal(OTHER_ID, "other", "10.1.0.0/24"));
        store.saveReservation(new Reservation(ID, MAC_A, ip("10.0.0.7"), "a"));
        Reservation kept = new Reservation(OTHER_ID, MAC_A, ip("10.1.0.7"), "a");
        store.saveReservation(kept);

        assertThat(store.delete(ID)).isTrue();
        assertThat(store.delete(ID)).isFalse();

        assertThat(store.scope(ID)).isEmpty();
        assertThat(store.scopes()).containsExactly(other);
        assertThat(store.reservations(ID)).isEmpty();
        assertThat(store.reservations(OTHER_ID)).containsExactly(kept);
    }

    @Test
    void aScopeCreatedAgainUnderADeletedIdStartsWithoutReservations() {
        store.save(minimal(ID, "lab", "10.0.0.0/24"));
        store.saveReservation(new Reservation(ID, MAC_A, ip("10.0.0.7"), null));
        store.delete(ID);

        Scope again = store.save(minimal(ID, "lab", "10.0.0.0/24"));

        assertThat(again.version()).isEqualTo(1);
        assertThat(store.reservations(ID)).isEmpty();
    }

    // ---- reservations ----

    @Test
    void reservationsRoundTripInAddressOrder() {
        store.save(full(ID, "lab"));
        Reservation high = new Reservation(ID, MAC_B, ip("192.168.255.200"), "db-1.lab.example.org");
        Reservation low = new Reservation(ID, MAC_A, ip("192.168.0.20"), null);
        String longest = "h".repeat(255);
        Reservation mid = new Reservation(ID, MacAddress.parse("00:00:00:00:00:01"), ip("192.168.7.1"), longest);

        store.saveReservation(high);
        store.saveReservation(low);
        store.saveReservation(mid);

        assertThat(store.reservations(ID)).containsExactly(low, mid, high);
        assertThat(store.reservations(OTHER_ID)).isEmpty();
    }

    @Test
    void aReservationOfTheSameMacReplacesTheOldOne() {
        store.save(minimal(ID, "lab", "10.0.0.0/24"));
        store.saveReservation(new Reservation(ID, MAC_A, ip("10.0.0.7"), "old"));
        Reservation moved = new Reservation(ID, MAC_A, ip("10.0.0.8"), null);

        store.saveReservation(moved);

        assertThat(store.reservations(ID)).containsExactly(moved);
        // The old address is free again.
        Reservation taker = new Reservation(ID, MAC_B, ip("10.0.0.7"), null);
        store.saveReservation(taker);
        assertThat(store.reservations(ID)).containsExactly(taker, moved);
    }

    @Test
    void savingTheSameReservationTwiceIsHarmless() {
        store.save(minimal(ID, "lab", "10.0.0.0/24"));
        Reservation r = new Reservation(ID, MAC_A, ip("10.0.0.7"), "a");

        store.saveReservation(r);
        store.saveReservation(r);

        assertThat(store.reservations(ID)).containsExactly(r);
    }

    @Test
    void anAddressReservedForAnotherMacIsRefused() {
        store.save(minimal(ID, "lab", "10.0.0.0/24"));
        Reservation first = new Reservation(ID, MAC_A, ip("10.0.0.7"), "a");
        Reservation mine = new Reservation(ID, MAC_B, ip("10.0.0.9"), "b");
        store.saveReservation(first);
        store.saveReservation(mine);

        assertThatThrownBy(() -> store.saveReservation(new Reservation(ID, MAC_B, ip("10.0.0.7"), "b")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.saveReservation(new Reservation(ID, MacAddress.parse("02:00:00:00:00:0c"),
                ip("10.0.0.7"), null))).isInstanceOf(IllegalStateException.class);

        assertThat(store.reservations(ID)).containsExactly(first, mine);
    }

    @Test
    void reservationsOfDifferentScopesAreIndependent() {
        store.save(minimal(ID, "lab", "10.0.0.0/24"));
        store.save(minimal(OTHER_ID, "twin", "10.0.0.0/24"));
        Reservation here = new Reservation(ID, MAC_A, ip("10.0.0.7"), null);
        Reservation there = new Reservation(OTHER_ID, MAC_B, ip("10.0.0.7"), null);
        Reservation sameMacThere = new Reservation(OTHER_ID, MAC_A, ip("10.0.0.8"), null);

        store.saveReservation(here);
        store.saveReservation(there);
        store.saveReservation(sameMacThere);

        assertThat(store.reservations(ID)).containsExactly(here);
        assertThat(store.reservations(OTHER_ID)).containsExactly(there, sameMacThere);
    }

    @Test
    void aReservationNeedsAnExistingScope() {
        assertThatThrownBy(() -> store.saveReservation(new Reservation(ID, MAC_A, ip("10.0.0.7"), null)))
                .isInstanceOf(IllegalStateException.class);

        assertThat(store.reservations(ID)).isEmpty();
    }

    @Test
    void aHostNameLongerThanOptionTwelveIsRefused() {
        store.save(minimal(ID, "lab", "10.0.0.0/24"));

        assertThatThrownBy(() -> store.saveReservation(new Reservation(ID, MAC_A, ip("10.0.0.7"), "h".repeat(256))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.reservations(ID)).isEmpty();
    }

    @Test
    void deleteReservationRemovesOnlyThatMac() {
        store.save(minimal(ID, "lab", "10.0.0.0/24"));
        store.saveReservation(new Reservation(ID, MAC_A, ip("10.0.0.7"), null));
        Reservation kept = new Reservation(ID, MAC_B, ip("10.0.0.8"), null);
        store.saveReservation(kept);

        assertThat(store.deleteReservation(ID, MAC_A)).isTrue();
        assertThat(store.deleteReservation(ID, MAC_A)).isFalse();
        assertThat(store.deleteReservation(OTHER_ID, MAC_B)).isFalse();

        assertThat(store.reservations(ID)).containsExactly(kept);
    }

    @Test
    void reservationsSurviveAnUpdateOfTheirScope() {
        Scope v1 = store.save(minimal(ID, "lab", "10.0.0.0/24"));
        Reservation r = new Reservation(ID, MAC_A, ip("10.0.0.7"), null);
        store.saveReservation(r);

        store.save(v1.withPools(List.of(AddressRange.of("10.0.0.100", "10.0.0.200"))));

        assertThat(store.reservations(ID)).containsExactly(r);
    }
}
