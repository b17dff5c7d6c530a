package io.fabricipam.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.journal.FileLeaseJournal;
import io.fabricipam.dhcp.journal.LeaseJournal;
import io.fabricipam.dhcp.journal.StoreLeaseJournal;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.DhcpListener;
import io.fabricipam.dhcp.server.DhcpResponder;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.RequestContext;
import io.fabricipam.dhcp.server.ResponderSettings;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Item 3 of issue 9: a scope deleted while many clients are served from it, on the real journals and JDBC
 * stores. Afterwards no lease row or reservation of the scope is left in the database, no reply was sent
 * from it once the deletion had returned, and no client saw an error. Per database (H2, PostgreSQL).
 */
abstract class ScopeDeletionSuite {

    enum Journal {
        FILE, DATABASE
    }

    static final int CLIENT_THREADS = 12;
    static final int CLIENTS_PER_THREAD = 40;
    /** ACKs from the doomed scope before it is deleted: the deletion lands in full traffic. */
    static final int WARM_UP_ACKS = 150;
    /** How long the clients go on after the deletion returned. */
    static final Duration AFTERWARDS = Duration.ofMillis(500);
    static final Duration BOUND = Duration.ofSeconds(60);

    static final RequestContext DOOMED_LINK = RequestContext.onLink(List.of(Ipv4Address.parse("10.40.0.1")), "rg:doomed");
    static final RequestContext SURVIVOR_LINK = RequestContext.onLink(List.of(Ipv4Address.parse("10.41.0.1")), "rg:survivor");

    /** The migrated database of the concrete class, shared by its tests. */
    abstract TestDatabase database();

    private LeaseJournal journal;
    private Path journalDir;

    /** One client's exchange as the test saw it: which link, when it started, what it got and when. */
    record Exchange(boolean doomedLink, long startedNanos, DhcpServer.Outcome outcome, long completedNanos,
            boolean completedLater, Throwable failure) {
    }

    @AfterEach
    void close() throws IOException {
        if (journal != null) {
            journal.close();
        }
        if (journalDir != null) {
            try (Stream<Path> files = Files.walk(journalDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Journal.class)
    void aScopeDeletedUnderTrafficLeavesNoRowAndSendsNoLateReply(Journal kind) throws Exception {
        database().clear();
        database().execute("UPDATE lease_journal SET position = 0");
        JdbcScopeStore scopes = new JdbcScopeStore(database().dataSource(), Clock.systemUTC());
        JdbcLeaseStore leases = new JdbcLeaseStore(database().dataSource());
        if (kind == Journal.FILE) {
            journalDir = Files.createTempDirectory("rg-journal-");
            journal = new FileLeaseJournal(leases, FileLeaseJournal.Settings.in(journalDir));
        } else {
            journal = new StoreLeaseJournal(leases, 256, Duration.ofMillis(2));
        }
        journal.start();
        ScopeDirectory directory = new ScopeDirectory();
        ScopeAdministration administration = new ScopeAdministration(directory, scopes, leases, journal, Clock.systemUTC());
        administration.load();
        DhcpServer server = new DhcpServer(directory, journal, new DhcpResponder(ResponderSettings.DEFAULTS),
                Clock.systemUTC(), DhcpListener.NONE);
        Scope doomed = administration.create(scope("doomed", "10.40.0.0/22", "10.40.0.1", "10.40.0.10", "10.40.3.250"));
        administration.create(scope("survivor", "10.41.0.0/22", "10.41.0.1", "10.41.0.10", "10.41.3.250"));
        for (int i = 0; i < 5; i++) {
            administration.reserve(doomed.id(), MacAddress.parse(String.format("02:aa:00:00:00:%02x", i)), null, "vm-" + i);
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger doomedAcks = new AtomicInteger();
        ConcurrentLinkedQueue<Exchange> seen = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < CLIENT_THREADS; t++) {
            int thread = t;
            running.add(clients.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    boolean toDoomed = (n + thread) % 3 != 0; // two thirds of the clients on the doomed link
                    // each thread's clients come back again and again (renewing what they hold): no pool runs out
                    String mac = String.format("02:%02x:%02x:00:%02x:01", toDoomed ? 0x10 : 0x20, thread, n % CLIENTS_PER_THREAD);
                    n++;
                    RequestContext link = toDoomed ? DOOMED_LINK : SURVIVOR_LINK;
                    String serverId = toDoomed ? "10.40.0.1" : "10.41.0.1";
                    Exchange offer = exchange(server, toDoomed, ClientPacket.discover().mac(mac), link);
                    seen.add(offer);
                    if (offer.outcome() == null || offer.outcome().reply() == null) {
                        continue;
                    }
                    Exchange ack = exchange(server, toDoomed, ClientPacket.request().mac(mac).serverId(serverId)
                            .requested(offer.outcome().reply().yiaddr().toString()), link);
                    seen.add(ack);
                    if (toDoomed && ack.outcome() != null && ack.outcome().reply() != null
                            && ack.outcome().reply().messageType() == DhcpMessageType.ACK) {
                        doomedAcks.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        long deletedAt;
        int acksAtDeletion;
        try {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (doomedAcks.get() < WARM_UP_ACKS && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(doomedAcks.get()).as("ACKs from the doomed scope before its deletion").isGreaterThanOrEqualTo(WARM_UP_ACKS);

            administration.delete(doomed.id(), true);
            deletedAt = System.nanoTime();
            acksAtDeletion = doomedAcks.get();

            Thread.sleep(AFTERWARDS.toMillis());
        } finally {
            stop.set(true);
            clients.shutdown();
            clients.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        for (Future<?> f : running) {
            f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(journal.awaitStored(BOUND)).isTrue();

        assertThat(rows("SELECT count(*) FROM lease WHERE scope_id = ?", doomed.id()))
                .as("lease rows of the deleted scope (orphans)").isZero();
        assertThat(rows("SELECT count(*) FROM reservation WHERE scope_id = ?", doomed.id()))
                .as("reservations of the deleted scope").isZero();
        assertThat(rows("SELECT count(*) FROM scope WHERE id = ?", doomed.id())).isZero();
        assertThat(seen).as("no client saw an error").allSatisfy(e -> {
            assertThat(e.failure()).isNull();
            assertThat(e.outcome().dropped()).isNotEqualTo(io.fabricipam.dhcp.codec.DropReason.STORE_FAILURE);
        });
        List<Exchange> late = seen.stream().filter(e -> e.doomedLink() && e.outcome().reply() != null
                && (e.startedNanos() > deletedAt || e.completedLater() && e.completedNanos() > deletedAt)).toList();
        assertThat(late).as("replies from the deleted scope after its deletion returned").isEmpty();
        assertThat(doomedAcks.get()).as("no ACK from the deleted scope after its deletion").isEqualTo(acksAtDeletion);
        // the survivor kept serving
        assertThat(seen.stream().filter(e -> !e.doomedLink() && e.startedNanos() > deletedAt
                && e.outcome().reply() != null && e.outcome().reply().messageType() == DhcpMessageType.ACK).count())
                .as("ACKs from the other scope after the deletion").isPositive();
    }

    private static Exchange exchange(DhcpServer server, boolean doomedLink, ClientPacket packet, RequestContext link) {
        long started = System.nanoTime();
        CompletableFuture<DhcpServer.Outcome> reply;
        try {
            reply = server.handle(packet.decoded(), link);
        } catch (RuntimeException e) {
            return new Exchange(doomedLink, started, null, System.nanoTime(), false, e);
        }
        boolean later = !reply.isDone();
        // Timed where the future completes: on the journal's thread for an ACK that waited for its commit.
        CompletableFuture<Long> completed = reply.thenApply(o -> System.nanoTime());
        try {
            DhcpServer.Outcome outcome = reply.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            return new Exchange(doomedLink, started, outcome, completed.get(), later, null);
        } catch (Exception e) {
            return new Exchange(doomedLink, started, null, System.nanoTime(), later, e);
        }
    }

    private long rows(String sql, UUID scopeId) throws SQLException {
        try (Connection c = database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, scopeId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Scope scope(String name, String network, String gateway, String poolStart, String poolEnd) {
        return new Scope(UUID.randomUUID(), name, Ipv4Network.parse(network), Ipv4Address.parse(gateway), 0,
                List.of(AddressRange.of(poolStart, poolEnd)), List.of(), 3600, null, null, null, null, null, 0);
    }
}
