package io.fabricipam.dhcp.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LeaseStore} must do; each implementation runs it by extending this class. Beyond the
 * interface's javadoc, the suite pins down what callers rely on:
 * <ul>
 * <li>{@link LeaseStore#leases} is ordered by address (unsigned).</li>
 * <li>"Newest first" in the history means the reverse of the order of application: a later {@code apply},
 *     or a later change in the same {@code apply}, is newer, whatever the events' timestamps.</li>
 * <li>Instants are kept to the millisecond (at least).</li>
 * <li>A lease's host name is at most 255 characters (what DHCP option 12 carries); an event needs a scope,
 *     an address, a type and a time. A change that breaks this is refused with
 *     {@link IllegalArgumentException}, and, as for any failure, nothing of its batch is applied.</li>
 * <li>A lease row needs its scope: a row of a scope that does not exist (never did, or was deleted) is
 *     refused with {@link UnknownScopeException} naming the scope, and nothing of its batch is applied.
 *     Events need no scope: deleting a row of a deleted scope with an event keeps the event (history
 *     outlives scopes). The JDBC suites add that deleting a scope deletes its rows (a foreign key with ON
 *     DELETE CASCADE); the in-memory store leaves them to {@link LeaseStore#deleteLeases}.</li>
 * <li>The store remembers which journal it is bound to, and changes the binding only from the one the
 *     caller expects (compare and set).</li>
 * </ul>
 */
public abstract class LeaseStoreContract {

    protected static final UUID SCOPE = UUID.fromString("0c0ffee0-0000-4000-8000-000000000001");
    protected static final UUID OTHER_SCOPE = UUID.fromString("0c0ffee0-0000-4000-8000-000000000002");
    protected static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    protected static final MacAddress MAC_B = MacAddress.parse("fe:ff:ff:ff:ff:fe");
    protected static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123Z");

    protected LeaseStore store;

    protected static final UUID UNKNOWN_SCOPE = UUID.fromString("0c0ffee0-0000-4000-8000-0000000000ff");

    /** A new, empty store in which the scopes {@link #SCOPE} and {@link #OTHER_SCOPE} exist; called before every test. */
    protected abstract LeaseStore newStore();

    /** Deletes a scope where the store looks scopes up (the scope table, or the in-memory store's predicate). */
    protected abstract void deleteScope(UUID scopeId);

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    protected static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    protected static Lease bound(UUID scope, String address, MacAddress mac, Instant at) {
        return new Lease(scope, ip(address), ClientKey.ofHardware(mac), mac, "host-" + mac.value(), LeaseState.BOUND,
                at, at.plus(Duration.ofHours(1)), "host-a:vnet3");
    }

    /** A durable change that writes {@code after} with an event of {@code type}. */
    protected static LeaseChange write(Lease after, LeaseEventType type) {
        return new LeaseChange(null, after, LeaseEvent.of(type, after, after.startedAt(), type.name().toLowerCase()), true);
    }

    protected static LeaseChange delete(Lease before) {
        return new LeaseChange(before, null, null, true);
    }

    // ---- rows ----

    @Test
    void aNewStoreIsEmpty() {
        assertThat(store.leases(SCOPE)).isEmpty();
        assertThat(store.history(SCOPE, ip("10.0.0.1"), 10)).isEmpty();
        assertThat(store.historyOf(MAC_A, 10)).isEmpty();
        store.deleteLeases(SCOPE);
        store.apply(List.of());
        assertThat(store.leases(SCOPE)).isEmpty();
    }

    @Test
    void everyFieldOfALeaseRoundTrips() {
        byte[] clientId = {0, 1, 2, (byte) 0x7f, (byte) 0x80, (byte) 0xff};
        List<Lease> rows = List.of(
                new Lease(SCOPE, ip("10.0.0.1"), ClientKey.ofClientId(clientId), MAC_B, "büro-pc", LeaseState.BOUND,
                        T0, T0.plusSeconds(3600), "host-a:vnet3 vlan 12"),
                new Lease(SCOPE, ip("10.0.0.2"), ClientKey.ofHardware(MAC_A), MAC_A, "h".repeat(255),
                        LeaseState.OFFERED, T0.plusMillis(1), T0.plusMillis(999), null),
                new Lease(SCOPE, ip("10.0.0.3"), ClientKey.ofHardware(MAC_A), MAC_A, null, LeaseState.RELEASED,
                        null, Instant.parse("2038-01-19T03:14:08.001Z"), ""),
                new Lease(SCOPE, ip("10.0.0.4"), ClientKey.ofClientId(new byte[] {1}), null, "", LeaseState.EXPIRED,
                        Instant.parse("1999-12-31T23:59:59.999Z"), Instant.EPOCH, "x"),
                // A declined address whose decliner we could not tell.
                new Lease(SCOPE, ip("10.0.0.5"), null, null, null, LeaseState.DECLINED, null,
                        T0.plus(Duration.ofDays(1)), null));
        List<LeaseChange> changes = new ArrayList<>();
        for (Lease row : rows) {
            changes.add(new LeaseChange(null, row, null, true));
        }

        store.apply(changes);

        assertThat(store.leases(SCOPE)).containsExactlyElementsOf(rows);
        assertThat(Arrays.stream(LeaseState.values())).allMatch(s -> rows.stream().anyMatch(r -> r.state() == s));
    }

    @Test
    void forEachLeaseHandsOverEveryRowOfEveryScopeOnce() {
        UUID other = OTHER_SCOPE;
        Lease a = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        Lease b = bound(SCOPE, "200.0.0.2", MAC_B, T0);
        Lease c = bound(other, "10.0.0.1", MAC_B, T0);
        Lease gone = bound(other, "10.0.0.9", MAC_A, T0);
        store.apply(List.of(write(a, LeaseEventType.BOUND), write(b, LeaseEventType.BOUND), write(c, LeaseEventType.BOUND),
                write(gone, LeaseEventType.BOUND)));
        store.apply(List.of(delete(gone)));

        List<Lease> seen = new ArrayList<>();
        store.forEachLease(seen::add);

        assertThat(seen).containsExactlyInAnyOrder(a, b, c);
    }

    @Test
    void forEachLeaseOfAnEmptyStoreHandsOverNothing() {
        List<Lease> seen = new ArrayList<>();
        store.forEachLease(seen::add);
        assertThat(seen).isEmpty();
    }

    @Test
    void leasesAreOrderedByUnsignedAddress() {
        Lease high = bound(SCOPE, "200.0.0.1", MAC_A, T0); // negative as a signed int
        Lease low = bound(SCOPE, "10.0.0.5", MAC_B, T0);
        Lease top = bound(SCOPE, "255.255.255.254", MacAddress.parse("02:00:00:00:00:01"), T0);
        Lease bottom = bound(SCOPE, "0.0.0.1", MacAddress.parse("02:00:00:00:00:02"), T0);

        store.apply(List.of(write(high, LeaseEventType.BOUND), write(top, LeaseEventType.BOUND),
                write(low, LeaseEventType.BOUND), write(bottom, LeaseEventType.BOUND)));

        assertThat(store.leases(SCOPE)).containsExactly(bottom, low, high, top);
    }

    @Test
    void anUpsertReplacesTheRowOfItsAddress() {
        Lease first = bound(SCOPE, "10.0.0.7", MAC_A, T0);
        store.apply(List.of(write(first, LeaseEventType.BOUND)));
        Lease renewed = first.withState(LeaseState.BOUND, T0.plusSeconds(7200));
        Lease other = new Lease(SCOPE, ip("10.0.0.7"), ClientKey.ofHardware(MAC_B), MAC_B, null, LeaseState.BOUND,
                T0.plusSeconds(10), T0.plusSeconds(20), "host-b:vnet0");

        store.apply(List.of(new LeaseChange(first, renewed, null, true)));
        assertThat(store.leases(SCOPE)).containsExactly(renewed);

        store.apply(List.of(new LeaseChange(renewed, other, null, true)));
        assertThat(store.leases(SCOPE)).containsExactly(other);
    }

    @Test
    void aChangeWithoutAnAfterRowDeletesTheRow() {
        Lease a = bound(SCOPE, "10.0.0.7", MAC_A, T0);
        Lease b = bound(SCOPE, "10.0.0.8", MAC_B, T0);
        store.apply(List.of(write(a, LeaseEventType.BOUND), write(b, LeaseEventType.BOUND)));

        LeaseEvent released = LeaseEvent.of(LeaseEventType.FORCE_RELEASED, a, T0.plusSeconds(5), "by admin");
        store.apply(List.of(new LeaseChange(a, null, released, true)));

        assertThat(store.leases(SCOPE)).containsExactly(b);
        assertThat(store.history(SCOPE, a.address(), 10)).first().isEqualTo(released);
    }

    @Test
    void deletingAMissingRowIsANoOp() {
        Lease ghost = bound(SCOPE, "10.0.0.7", MAC_A, T0);

        store.apply(List.of(delete(ghost)));

        assertThat(store.leases(SCOPE)).isEmpty();
    }

    @Test
    void changesOfOneApplyTakeEffectInOrder() {
        Lease a1 = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        Lease a2 = a1.withState(LeaseState.RELEASED, T0.plusSeconds(1));
        Lease b1 = bound(SCOPE, "10.0.0.2", MAC_B, T0);
        Lease b2 = b1.withState(LeaseState.BOUND, T0.plusSeconds(99));
        Lease c1 = bound(SCOPE, "10.0.0.3", MAC_A, T0);

        store.apply(List.of(
                write(a1, LeaseEventType.BOUND), write(a2, LeaseEventType.RELEASED), // upsert, upsert: the last wins
                write(b1, LeaseEventType.BOUND), delete(b1), write(b2, LeaseEventType.BOUND), // ends present
                write(c1, LeaseEventType.BOUND), delete(c1))); // ends absent

        assertThat(store.leases(SCOPE)).containsExactly(a2, b2);
    }

    @Test
    void oneApplyMayTouchSeveralScopes() {
        Lease here = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        Lease there = bound(OTHER_SCOPE, "10.0.0.1", MAC_B, T0);

        store.apply(List.of(write(here, LeaseEventType.BOUND), write(there, LeaseEventType.BOUND)));

        assertThat(store.leases(SCOPE)).containsExactly(here);
        assertThat(store.leases(OTHER_SCOPE)).containsExactly(there);
    }

    @Test
    void changesThatAreNotDurableAreIgnored() {
        Lease kept = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        store.apply(List.of(write(kept, LeaseEventType.BOUND)));
        Lease offer = new Lease(SCOPE, ip("10.0.0.2"), ClientKey.ofHardware(MAC_B), MAC_B, null, LeaseState.OFFERED,
                T0, T0.plusSeconds(30), null);

        store.apply(List.of(
                new LeaseChange(null, offer, LeaseEvent.of(LeaseEventType.BOUND, offer, T0, "not durable"), false),
                new LeaseChange(kept, null, LeaseEvent.of(LeaseEventType.EXPIRED, kept, T0, "not durable"), false)));

        assertThat(store.leases(SCOPE)).containsExactly(kept);
        assertThat(store.history(SCOPE, offer.address(), 10)).isEmpty();
        assertThat(store.history(SCOPE, kept.address(), 10)).hasSize(1);
        assertThat(store.historyOf(MAC_B, 10)).isEmpty();
    }

    // ---- history ----

    @Test
    void everyFieldOfAnEventRoundTrips() {
        Lease row = bound(SCOPE, "10.0.0.9", MAC_B, T0);
        ClientKey byId = ClientKey.ofClientId(new byte[] {(byte) 0xff, 0, 0x10});
        List<LeaseChange> changes = new ArrayList<>();
        List<LeaseEvent> events = new ArrayList<>();
        int i = 0;
        for (LeaseEventType type : LeaseEventType.values()) {
            Instant at = T0.plusMillis(i++);
            LeaseEvent e = new LeaseEvent(SCOPE, row.address(), type, byId, MAC_B, at, at.plusSeconds(60),
                    "host-" + i, "detail \"" + type + "\" ünïcode");
            events.add(e);
            changes.add(new LeaseChange(null, row, e, true));
        }
        LeaseEvent sparse = new LeaseEvent(SCOPE, row.address(), LeaseEventType.DECLINED, null, null,
                T0.plusSeconds(1), null, null, null);
        events.add(sparse);
        changes.add(new LeaseChange(null, row, sparse, true));

        store.apply(changes);

        List<LeaseEvent> newestFirst = new ArrayList<>(events);
        java.util.Collections.reverse(newestFirst);
        assertThat(store.history(SCOPE, row.address(), 100)).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void historyIsNewestFirstAndLimited() {
        Ipv4Address address = ip("10.0.0.7");
        Lease row = bound(SCOPE, "10.0.0.7", MAC_A, T0);
        LeaseEvent e1 = event(LeaseEventType.BOUND, row, T0);
        LeaseEvent e2 = event(LeaseEventType.RENEWED, row, T0.plusSeconds(1800));
        LeaseEvent e3 = event(LeaseEventType.RELEASED, row, T0.plusSeconds(1900));
        // Same timestamp as e3, in the same apply: order of application decides.
        LeaseEvent e4 = event(LeaseEventType.FORCE_RELEASED, row, T0.plusSeconds(1900));
        store.apply(List.of(new LeaseChange(null, row, e1, true)));
        store.apply(List.of(new LeaseChange(row, row, e2, true)));
        // Noise: other addresses, other scopes.
        store.apply(List.of(write(bound(SCOPE, "10.0.0.8", MAC_A, T0), LeaseEventType.BOUND),
                write(bound(OTHER_SCOPE, "10.0.0.7", MAC_A, T0), LeaseEventType.BOUND)));
        store.apply(List.of(new LeaseChange(row, row, e3, true), new LeaseChange(row, row, e4, true)));

        assertThat(store.history(SCOPE, address, 100)).containsExactly(e4, e3, e2, e1);
        assertThat(store.history(SCOPE, address, 3)).containsExactly(e4, e3, e2);
        assertThat(store.history(SCOPE, address, 1)).containsExactly(e4);
        assertThat(store.history(OTHER_SCOPE, address, 100)).hasSize(1);
        assertThat(store.history(SCOPE, ip("10.0.0.99"), 100)).isEmpty();
    }

    @Test
    void historyOfAMacSpansScopesNewestFirstAndLimited() {
        Lease a = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        Lease b = bound(OTHER_SCOPE, "172.16.0.1", MAC_A, T0);
        Lease someoneElse = bound(SCOPE, "10.0.0.2", MAC_B, T0);
        LeaseEvent e1 = event(LeaseEventType.BOUND, a, T0);
        LeaseEvent e2 = event(LeaseEventType.BOUND, someoneElse, T0.plusSeconds(1));
        LeaseEvent e3 = event(LeaseEventType.BOUND, b, T0.plusSeconds(2));
        LeaseEvent e4 = event(LeaseEventType.EXPIRED, a, T0.plusSeconds(3));
        LeaseEvent unknown = new LeaseEvent(SCOPE, ip("10.0.0.3"), LeaseEventType.DECLINED, null, null,
                T0.plusSeconds(4), null, null, null);
        store.apply(List.of(new LeaseChange(null, a, e1, true), new LeaseChange(null, someoneElse, e2, true)));
        store.apply(List.of(new LeaseChange(null, b, e3, true)));
        store.apply(List.of(new LeaseChange(a, a.withState(LeaseState.EXPIRED, T0), e4, true)));
        store.apply(List.of(new LeaseChange(null, new Lease(SCOPE, ip("10.0.0.3"), null, null, null,
                LeaseState.DECLINED, null, T0.plusSeconds(600), null), unknown, true)));

        assertThat(store.historyOf(MAC_A, 10)).containsExactly(e4, e3, e1);
        assertThat(store.historyOf(MAC_A, 2)).containsExactly(e4, e3);
        assertThat(store.historyOf(MAC_B, 10)).containsExactly(e2);
        assertThat(store.historyOf(MacAddress.parse("02:00:00:00:00:99"), 10)).isEmpty();
    }

    @Test
    void eventsFilterByScopeTypeMacAndTimeNewestFirst() {
        Lease a = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        Lease b = bound(OTHER_SCOPE, "172.16.0.1", MAC_B, T0);
        LeaseEvent e1 = event(LeaseEventType.BOUND, a, T0);
        LeaseEvent e2 = event(LeaseEventType.BOUND, b, T0.plusSeconds(10));
        LeaseEvent e3 = event(LeaseEventType.RENEWED, a, T0.plusSeconds(20));
        LeaseEvent e4 = event(LeaseEventType.RELEASED, b, T0.plusSeconds(30));
        store.apply(List.of(new LeaseChange(null, a, e1, true), new LeaseChange(null, b, e2, true)));
        store.apply(List.of(new LeaseChange(a, a, e3, true), new LeaseChange(b, b.withState(LeaseState.RELEASED, T0), e4, true)));

        assertThat(store.events(null, null, null, null, 10)).containsExactly(e4, e3, e2, e1);
        assertThat(store.events(null, null, null, null, 2)).containsExactly(e4, e3);
        assertThat(store.events(SCOPE, null, null, null, 10)).containsExactly(e3, e1);
        assertThat(store.events(null, LeaseEventType.BOUND, null, null, 10)).containsExactly(e2, e1);
        assertThat(store.events(null, null, MAC_B, null, 10)).containsExactly(e4, e2);
        assertThat(store.events(null, null, null, T0.plusSeconds(20), 10)).containsExactly(e4, e3);
        assertThat(store.events(OTHER_SCOPE, LeaseEventType.RELEASED, MAC_B, T0.plusSeconds(30), 10)).containsExactly(e4);
        assertThat(store.events(SCOPE, LeaseEventType.RELEASED, null, null, 10)).isEmpty();
    }

    @Test
    void theJournalPositionMovesWithItsChangesInOneTransaction() {
        assertThat(store.journalPosition()).isZero();
        Lease a = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        store.apply(List.of(write(a, LeaseEventType.BOUND)), 41);
        assertThat(store.journalPosition()).isEqualTo(41);
        assertThat(store.leases(SCOPE)).containsExactly(a);
        store.apply(List.of(), 42); // a batch of nothing durable still records the position
        assertThat(store.journalPosition()).isEqualTo(42);
        store.apply(List.of(write(bound(SCOPE, "10.0.0.2", MAC_B, T0), LeaseEventType.BOUND))); // no position
        assertThat(store.journalPosition()).isEqualTo(42);
        Lease tooLong = new Lease(SCOPE, ip("10.0.0.3"), ClientKey.ofHardware(MAC_A), MAC_A, "h".repeat(300),
                LeaseState.BOUND, T0, T0.plusSeconds(60), null);
        assertThatThrownBy(() -> store.apply(List.of(write(tooLong, LeaseEventType.BOUND)), 43))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.journalPosition()).as("a refused batch moves nothing").isEqualTo(42);
    }

    @Test
    void deleteLeasesEmptiesOneScopeAndKeepsAllHistory() {
        Lease a = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        Lease b = bound(SCOPE, "10.0.0.2", MAC_B, T0);
        Lease there = bound(OTHER_SCOPE, "10.0.0.1", MAC_A, T0);
        store.apply(List.of(write(a, LeaseEventType.BOUND), write(b, LeaseEventType.BOUND),
                write(there, LeaseEventType.BOUND)));

        store.deleteLeases(SCOPE);

        assertThat(store.leases(SCOPE)).isEmpty();
        assertThat(store.leases(OTHER_SCOPE)).containsExactly(there);
        assertThat(store.history(SCOPE, a.address(), 10)).hasSize(1);
        assertThat(store.history(SCOPE, b.address(), 10)).hasSize(1);
        assertThat(store.historyOf(MAC_A, 10)).hasSize(2);

        // The scope can be filled again.
        store.apply(List.of(write(a, LeaseEventType.BOUND)));
        assertThat(store.leases(SCOPE)).containsExactly(a);
    }

    // ---- scopes ----

    @Test
    void aRowOfAnUnknownScopeIsRefusedAndNothingOfItsBatchIsApplied() {
        Lease existing = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        store.apply(List.of(write(existing, LeaseEventType.BOUND)));
        Lease fresh = bound(SCOPE, "10.0.0.2", MAC_B, T0);
        Lease orphan = bound(UNKNOWN_SCOPE, "10.0.0.3", MAC_B, T0);

        assertThatThrownBy(() -> store.apply(List.of(write(fresh, LeaseEventType.BOUND),
                write(orphan, LeaseEventType.BOUND)), 7))
                .isInstanceOf(UnknownScopeException.class)
                .satisfies(e -> assertThat(((UnknownScopeException) e).scopeId()).isIn(UNKNOWN_SCOPE, null));
        assertThatThrownBy(() -> store.apply(List.of(write(orphan, LeaseEventType.BOUND))))
                .isInstanceOf(UnknownScopeException.class)
                .satisfies(e -> assertThat(((UnknownScopeException) e).scopeId()).isEqualTo(UNKNOWN_SCOPE));

        assertThat(store.leases(UNKNOWN_SCOPE)).isEmpty();
        assertThat(store.journalPosition()).as("a refused batch moves nothing").isZero();
        assertNothingButTheExistingRow(existing);
    }

    @Test
    void aRowOfADeletedScopeIsRefusedButItsEventIsKept() {
        Lease a = bound(OTHER_SCOPE, "10.0.0.1", MAC_A, T0);
        store.apply(List.of(write(a, LeaseEventType.BOUND)));
        store.deleteLeases(OTHER_SCOPE);
        deleteScope(OTHER_SCOPE);
        Lease late = a.withState(LeaseState.BOUND, T0.plusSeconds(1800));

        assertThatThrownBy(() -> store.apply(List.of(new LeaseChange(a, late,
                event(LeaseEventType.RENEWED, late, T0.plusSeconds(1)), true))))
                .isInstanceOf(UnknownScopeException.class);

        // What remains of a change whose scope is gone: its event, for the history.
        LeaseEvent renewed = event(LeaseEventType.RENEWED, late, T0.plusSeconds(1));
        store.apply(List.of(new LeaseChange(late, null, renewed, true)));
        assertThat(store.leases(OTHER_SCOPE)).isEmpty();
        assertThat(store.history(OTHER_SCOPE, a.address(), 10)).first().isEqualTo(renewed);
    }

    // ---- the journal's binding ----

    @Test
    void theStoreIsBoundToOneJournalAtATime() {
        UUID first = UUID.fromString("a0000000-0000-4000-8000-000000000001");
        UUID second = UUID.fromString("a0000000-0000-4000-8000-000000000002");
        assertThat(store.journalId()).isNull();

        assertThat(store.bindJournal(null, first)).isTrue();
        assertThat(store.journalId()).isEqualTo(first);
        assertThat(store.bindJournal(null, second)).as("already bound").isFalse();
        assertThat(store.bindJournal(second, second)).isFalse();
        assertThat(store.journalId()).isEqualTo(first);
        assertThat(store.bindJournal(first, second)).isTrue();
        assertThat(store.journalId()).isEqualTo(second);
        store.apply(List.of(), 5); // the position and the binding live side by side
        assertThat(store.journalId()).isEqualTo(second);
        assertThat(store.journalPosition()).isEqualTo(5);
    }

    // ---- atomicity ----

    @Test
    void aBatchWithARefusedRowAppliesNothing() {
        Lease existing = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        store.apply(List.of(write(existing, LeaseEventType.BOUND)));
        Lease fresh = bound(SCOPE, "10.0.0.2", MAC_B, T0);
        Lease tooLong = new Lease(SCOPE, ip("10.0.0.3"), ClientKey.ofHardware(MAC_B), MAC_B, "h".repeat(256),
                LeaseState.BOUND, T0, T0.plusSeconds(60), null);
        Lease after = bound(SCOPE, "10.0.0.4", MAC_B, T0);

        assertThatThrownBy(() -> store.apply(List.of(
                write(fresh, LeaseEventType.BOUND),
                new LeaseChange(existing, null, event(LeaseEventType.RELEASED, existing, T0.plusSeconds(1)), true),
                write(tooLong, LeaseEventType.BOUND),
                write(after, LeaseEventType.BOUND))))
                .isInstanceOf(IllegalArgumentException.class);

        assertNothingButTheExistingRow(existing);
    }

    @Test
    void aBatchWithARefusedEventAppliesNothing() {
        Lease existing = bound(SCOPE, "10.0.0.1", MAC_A, T0);
        store.apply(List.of(write(existing, LeaseEventType.BOUND)));
        Lease fresh = bound(SCOPE, "10.0.0.2", MAC_B, T0);
        LeaseEvent timeless = new LeaseEvent(SCOPE, fresh.address(), LeaseEventType.BOUND, null, MAC_B, null, null,
                null, null);

        // The refused event comes last, after rows were written and deleted in the same batch.
        assertThatThrownBy(() -> store.apply(List.of(
                write(fresh, LeaseEventType.BOUND),
                new LeaseChange(existing, null, event(LeaseEventType.RELEASED, existing, T0.plusSeconds(1)), true),
                new LeaseChange(fresh, fresh, timeless, true))))
                .isInstanceOf(IllegalArgumentException.class);

        assertNothingButTheExistingRow(existing);
    }

    private void assertNothingButTheExistingRow(Lease existing) {
        assertThat(store.leases(SCOPE)).containsExactly(existing);
        assertThat(store.history(SCOPE, existing.address(), 10)).hasSize(1);
        assertThat(store.historyOf(MAC_B, 10)).isEmpty();
        // The store is still usable after a refused batch.
        Lease next = bound(SCOPE, "10.0.0.9", MAC_B, T0);
        store.apply(List.of(write(next, LeaseEventType.BOUND)));
        assertThat(store.leases(SCOPE)).containsExactly(existing, next);
    }

    private static LeaseEvent event(LeaseEventType type, Lease lease, Instant at) {
        return LeaseEvent.of(type, lease, at, null);
    }
}
