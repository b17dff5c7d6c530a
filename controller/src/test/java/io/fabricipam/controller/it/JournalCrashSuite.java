package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 while the lease journal is busy loses no acknowledged lease, run once per journal by the subclasses.
 *
 * <p>Several hundred clients are in flight at once: perfdhcp posing as a relay (background load on other MACs,
 * not checked per client), real udhcpc and dhclient daemons on the server's bridge (bound under that load),
 * then {@link RelayedClients} (128 exchanges at a time through another relay address, each ACK recorded as it
 * arrives). Once those ACKs come at a high rate, the service gets SIGKILL, so that the kill lands while batches are being written (the
 * journal window is 1 ms, so batches are small and many). Restart on the same data, check every promise
 * ({@link PromisedLeases}: history, INIT-REBOOT, lease table), more load, kill again: {@value #KILLS} kills
 * on one data set, each check covering every ACK since the first start.
 */
@Tag("slow")
abstract class JournalCrashSuite {

    static final int KILLS = 3;
    static final int WINDOW = 128;
    static final int REAL_CLIENTS_PER_KIND = 2;
    static final int MAX_CLIENTS_PER_ROUND = 20_000;
    static final int ACKS_BEFORE_KILL = 300;
    static final double KILL_AT_RATE = 150;       // ACKs per second over the last RATE_SPAN
    static final Duration RATE_SPAN = Duration.ofMillis(250);
    static final Duration LOAD_LIMIT = Duration.ofSeconds(90);
    static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REAL_CLIENTS_WAIT = Duration.ofSeconds(20);
    static final String PERFDHCP_RATE = "200";
    static final String SERVER = "10.66.0.2";
    static final String RELAY = "10.66.0.250";
    static final String PERF_RELAY = "10.66.0.240";
    static final String TOKEN = "fip_journal-crash-" + UUID.randomUUID();

    NetworkLab lab;
    DhcpClients clients;
    FabricProcess fabric;
    String srv;
    final List<String> report = new ArrayList<>();

    /** Two or three letters, the start of every name the test makes (namespaces, links, lab directory). */
    abstract String tag();

    /**
     * The journal (and database) settings of the service at its {@code start}-th start on the data (0: the
     * first, then one per kill), e.g. {@code --fabric.dhcp.journal=database}.
     */
    abstract List<String> journalArguments(int start);

    /** Something to close after the service (e.g. a private PostgreSQL); none by default. */
    AutoCloseable database() {
        return null;
    }

    @AfterEach
    void tearDown() {
        NetworkLab.closeAll(fabric, lab, database());
        report.forEach(System.out::println);
    }

    FabricProcess service(int start) {
        List<String> args = new ArrayList<>(List.of(
                "--fabric.dhcp.udp.interfaces=br0",
                "--fabric.dhcp.udp.network-namespace=" + srv,
                "--fabric.api.admin-token=" + TOKEN,
                "--fabric.dhcp.journal-window=1ms",
                "--fabric.scopes[0].name=busy",
                "--fabric.scopes[0].network=10.66.0.0/16",
                "--fabric.scopes[0].pools[0].start=10.66.1.0",
                "--fabric.scopes[0].pools[0].end=10.66.254.254",
                "--fabric.scopes[0].lease-time=3600"));
        args.addAll(journalArguments(start));
        return new FabricProcess(lab.dir().resolve("data"), lab.dir().resolve("fabric.log"), args);
    }

    @Test
    void everyAcknowledgedLeaseSurvivesRepeatedKillNineWhileTheJournalIsBusy() throws Exception {
        Tools.require("perfdhcp", "udhcpc", "dhclient");
        lab = new NetworkLab(tag());
        clients = new DhcpClients(lab);
        srv = lab.namespace("srv");
        lab.bridge(srv, "br0", SERVER + "/16");
        String relayIf = lab.client("rly", srv, "br0", "02:66:ff:00:00:01");
        lab.exec(tag() + "-rly", "ip", "addr", "add", RELAY + "/16", "dev", relayIf);
        String perfIf = lab.client("prf", srv, "br0", "02:66:ff:00:00:02");
        lab.exec(tag() + "-prf", "ip", "addr", "add", PERF_RELAY + "/16", "dev", perfIf);

        PromisedLeases promised = new PromisedLeases();
        List<String> realClientMacs = new ArrayList<>();
        long started = System.nanoTime();
        fabric = service(0).start();
        report.add(String.format("%s: start 0 with %s", getClass().getSimpleName(), journalArguments(0)));
        report.add(String.format("%s: first start %.1f s", getClass().getSimpleName(), seconds(started)));
        for (int round = 0; round < KILLS; round++) {
            long roundStart = System.nanoTime();
            Instant killedAt = loadAndKill(round, promised, realClientMacs);
            long restart = System.nanoTime();
            fabric = service(round + 1).start();
            double restartSeconds = seconds(restart);
            long check = System.nanoTime();
            List<String> problems;
            try (RelayedClients verifier = new RelayedClients(tag() + "-rly", RELAY, SERVER, EXCHANGE_TIMEOUT, 0x70000000 + round * 0x100000)) {
                problems = promised.check(new FabricApi(fabric.httpPort(), TOKEN), verifier, killedAt, realClientMacs);
            }
            report.add(String.format("  round %d: %d promised leases checked after restart %d with %s (restart %.1f s,"
                    + " check %.1f s: %s; round %.1f s)", round + 1, promised.size(), round + 1, journalArguments(round + 1),
                    restartSeconds, seconds(check), promised.timings(), seconds(roundStart)));
            assertThat(problems).as("after kill %d of %d: leases acknowledged before a kill -9 that the restarted"
                    + " service lost or gave away (%d promised in all); log: %s", round + 1, KILLS, promised.size(),
                    fabric.log()).isEmpty();
        }
        assertThat(PrometheusText.sum(fabric.get("/actuator/prometheus"), "fabric_dhcp_drops_total",
                "reason=\"store-failure\"")).as("replies dropped because the journal failed").isZero();
        report.add(String.format("%s: %d kills, %d ACKs checked (%d from real clients), %.1f s in all",
                getClass().getSimpleName(), KILLS, promised.size(), realClientMacs.stream()
                        .filter(promised::contains).count(), seconds(started)));
    }

    /**
     * Loads the service until the ACK rate is high, kills it, and records every ACK the clients received.
     * Returns the time of the kill.
     */
    private Instant loadAndKill(int round, PromisedLeases promised, List<String> realClientMacs) throws Exception {
        // real clients first, under perfdhcp's load; then the relayed clients, up to the kill
        List<RealClient> real = new ArrayList<>();
        for (int n = 0; n < REAL_CLIENTS_PER_KIND; n++) {
            for (boolean udhcpc : new boolean[] {true, false}) {
                String name = (udhcpc ? "u" : "d") + round + n;
                String mac = String.format("02:67:%02x:00:%02x:%02x", round, udhcpc ? 1 : 2, n);
                real.add(new RealClient(tag() + "-" + name, lab.client(name, srv, "br0", mac), mac, udhcpc));
            }
        }
        RateMeter rate = new RateMeter(RATE_SPAN);
        try (RelayedClients load = new RelayedClients(tag() + "-rly", RELAY, SERVER, EXCHANGE_TIMEOUT, 0x10000000 + round * 0x1000000)) {
            Path perfLog = lab.dir().resolve("perfdhcp-" + round + ".log");
            Process perfdhcp = lab.start(tag() + "-prf", perfLog, "perfdhcp", "-4", "-l", PERF_RELAY, "-r", PERFDHCP_RATE,
                    "-R", "5000", "-p", "90", SERVER);
            for (RealClient client : real) {
                if (client.udhcpc()) {
                    clients.udhcpcDaemon(client.ns(), client.iface());
                } else {
                    clients.dhclientDaemon(client.ns(), client.iface());
                }
            }
            long realDeadline = System.nanoTime() + REAL_CLIENTS_WAIT.toNanos();
            while (System.nanoTime() < realDeadline && real.stream().anyMatch(c -> lab.address(c.ns(), c.iface()) == null)) {
                Thread.sleep(200);
            }
            load.start(i -> String.format("02:66:%02x:%02x:%02x:%02x", round, i >>> 16, (i >>> 8) & 0xff, i & 0xff),
                    MAX_CLIENTS_PER_ROUND, WINDOW, LOAD_LIMIT);
            long deadline = System.nanoTime() + LOAD_LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                rate.sample(load.ackCount());
                if (load.ackCount() >= ACKS_BEFORE_KILL && rate.perSecond() >= KILL_AT_RATE) {
                    break;
                }
                Thread.sleep(10);
            }
            long acksAtKill = load.ackCount();
            int inFlightAtKill = load.inFlight();
            double rateAtKill = rate.perSecond();
            fabric.kill9();
            Instant killedAt = Instant.now();
            load.stop();
            perfdhcp.destroyForcibly();
            Map<String, String> acks = load.acknowledged(); // includes ACKs that were already on their way
            promised.addAll(acks);
            int realBound = 0;
            for (RealClient client : real) {
                String address = lab.address(client.ns(), client.iface()); // configured by the script on its ACK
                if (address != null) {
                    promised.add(client.mac(), address, client.udhcpc() ? DhcpClients.udhcpcClientId(client.mac()) : null);
                    realClientMacs.add(client.mac());
                    realBound++;
                }
            }
            report.add(String.format("  round %d: killed at %d ACKs (%.0f/s over the last %d ms, %d exchanges in flight);"
                    + " %d relayed ACKs recorded, %d real clients bound, %d timeouts", round + 1, acksAtKill, rateAtKill,
                    RATE_SPAN.toMillis(), inFlightAtKill, acks.size(), realBound, load.timeouts()));
            assertThat(acksAtKill).as("ACKs before kill %d", round + 1).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            assertThat(inFlightAtKill).as("exchanges in flight at kill %d", round + 1).isPositive();
            return killedAt;
        }
    }

    /** A real DHCP client daemon in its own namespace on the server's bridge. */
    record RealClient(String ns, String iface, String mac, boolean udhcpc) {
    }

    static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** ACKs per second over the last {@code span}, from samples of a running count. */
    static final class RateMeter {
        private final long spanNanos;
        private final TreeMap<Long, Long> samples = new TreeMap<>();

        RateMeter(Duration span) {
            this.spanNanos = span.toNanos();
        }

        void sample(long count) {
            long now = System.nanoTime();
            samples.put(now, count);
            samples.headMap(now - 2 * spanNanos).clear();
        }

        double perSecond() {
            if (samples.isEmpty()) {
                return 0;
            }
            long now = samples.lastKey();
            Map.Entry<Long, Long> then = samples.ceilingEntry(now - spanNanos);
            long span = now - then.getKey();
            return span < spanNanos / 2 ? 0 : (samples.lastEntry().getValue() - then.getValue()) * 1e9 / span;
        }
    }
}
