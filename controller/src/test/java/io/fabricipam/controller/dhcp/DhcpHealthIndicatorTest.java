package io.fabricipam.controller.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.journal.FileLeaseJournal;
import io.fabricipam.dhcp.journal.JournalMismatchException;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.server.DhcpListener;
import io.fabricipam.dhcp.server.DhcpResponder;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.ResponderSettings;
import io.fabricipam.dhcp.server.ScopeAdministration;
import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.store.InMemoryScopeStore;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.testing.RecordingLeaseStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * What an operator sees of the lease journal: health "dhcp" and the journal meters, over a real file
 * journal whose store refuses one address (as a violated constraint would).
 */
class DhcpHealthIndicatorTest {

    static final UUID SCOPE = UUID.fromString("a9000000-0000-4000-8000-0000000000c1");
    static final Ipv4Address REFUSED = Ipv4Address.parse("10.30.0.7");

    @TempDir
    Path dir;

    RecordingLeaseStore store = new RecordingLeaseStore();
    FileLeaseJournal journal;
    DhcpHealthIndicator health;

    @BeforeEach
    void start() {
        journal = new FileLeaseJournal(store, FileLeaseJournal.Settings.in(dir.resolve("journal")));
        journal.start();
        ScopeDirectory directory = new ScopeDirectory();
        ScopeAdministration administration = new ScopeAdministration(directory, new InMemoryScopeStore(), store, journal,
                Clock.systemUTC());
        DhcpServer server = new DhcpServer(directory, journal, new DhcpResponder(ResponderSettings.DEFAULTS),
                Clock.systemUTC(), DhcpListener.NONE);
        health = new DhcpHealthIndicator(journal, directory, administration, server);
    }

    @AfterEach
    void close() {
        journal.close();
    }

    static List<LeaseChange> bound(String address, int client) {
        MacAddress mac = new MacAddress(0x020000000000L + client);
        Lease lease = new Lease(SCOPE, Ipv4Address.parse(address), ClientKey.ofHardware(mac), mac, null, LeaseState.BOUND,
                Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), "test");
        return List.of(new LeaseChange(null, lease, LeaseEvent.of(LeaseEventType.BOUND, lease, Instant.EPOCH, null), true));
    }

    @Test
    void upWhileEveryAcknowledgedChangeReachesTheDatabase() throws Exception {
        journal.append(bound("10.30.0.6", 6)).get(10, TimeUnit.SECONDS);
        assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();

        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("unstoredLeaseChanges", 0).doesNotContainKey("reason");
    }

    @Test
    void degradedWithTheCountAndTheFirstErrorWhileTheDatabaseRefusesAcknowledgedChanges() throws Exception {
        store.refuse(c -> c.address().equals(REFUSED));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new DhcpMetrics(meters, journal);
        journal.append(bound("10.30.0.7", 7)).get(10, TimeUnit.SECONDS);
        journal.append(bound("10.30.0.7", 17)).get(10, TimeUnit.SECONDS); // waits behind the first
        assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();

        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(DhcpHealthIndicator.DEGRADED);
        assertThat(h.getDetails()).containsEntry("unstoredLeaseChanges", 2);
        assertThat((String) h.getDetails().get("reason")).startsWith("2 acknowledged lease change(s) the database refused")
                .contains("the first (#1, 10.30.0.7): check constraint violated by 10.30.0.7")
                .contains("/api/v1/journal/unstored");
        assertThat(meters.get("fabric.dhcp.journal.unstored").gauge().value()).isEqualTo(2.0);

        store.refuse(null);
        journal.retryUnstored();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(meters.get("fabric.dhcp.journal.unstored").gauge().value()).isZero();
    }

    @Test
    void downOnceTheJournalStops() {
        journal.close();
        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) h.getDetails().get("reason")).contains("journal is not running");
    }

    @Test
    void aJournalThatBelongsToAnotherDatabaseFailsTheStartWithAnExplanation() {
        JournalMismatchException mismatch = new JournalMismatchException("the lease journal in /srv/x/journal is journal A,"
                + " but the database jdbc:h2:file:/srv/y (spring.datasource.url) is fed by journal B");
        var analysis = new JournalMismatchFailureAnalyzer().analyze(
                new IllegalStateException("Failed to start bean 'dhcpLifecycle'", mismatch));
        assertThat(analysis.getDescription()).contains("/srv/x/journal", "jdbc:h2:file:/srv/y");
        assertThat(analysis.getAction()).contains("fabric.data-dir", "spring.datasource.url");
    }

    @Test
    void aPasswordInTheDatabaseUrlNeverReachesAMessage() {
        assertThat(DhcpCore.withoutPassword("jdbc:postgresql://db/ipam?user=fabric&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/ipam?user=fabric&password=***&ssl=true");
        assertThat(DhcpCore.withoutPassword("jdbc:h2:file:/var/lib/fabric-ipam/fabric-ipam;PASSWORD=x"))
                .doesNotContain("=x");
    }
}
