package io.fabricipam.controller.dhcp;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fabric.dhcp.*}: how the DHCP core runs.
 *
 * @param offerHold        how long an offered address waits for the client's REQUEST
 * @param declineProbation how long an address reported in use (DHCPDECLINE) stays out of the pool
 * @param workers          DHCP worker threads (0: one per core)
 * @param queueCapacity    requests waiting for a worker; beyond it they are dropped and counted
 * @param journalBatch     most lease changes committed in one transaction
 * @param journalWindow    under load, how long the journal waits for more changes before committing; unset:
 *                         0 for the file journal without fsync (a write() costs microseconds, and holding
 *                         replies back only sends them in bursts), 2 ms where each commit is expensive (fsync,
 *                         or the database journal)
 * @param journal          where acknowledged lease changes become durable: {@code file} (default: an append-only
 *                         file in {@code fabric.data-dir}/journal, copied into the database in the background) or
 *                         {@code database} (committed into the database before the reply, for a database shared by
 *                         a cluster)
 * @param journalFsync     fsync the journal file after every batch (survive power loss too, not only crashes)
 * @param sweepInterval    how often offers, leases and probations are checked for expiry
 * @param udp              the UDP front end
 */
@ConfigurationProperties("fabric.dhcp")
public record DhcpProperties(
        @DefaultValue("30s") Duration offerHold,
        @DefaultValue("24h") Duration declineProbation,
        @DefaultValue("0") int workers,
        @DefaultValue("4096") int queueCapacity,
        @DefaultValue("512") int journalBatch,
        Duration journalWindow,
        @DefaultValue("file") JournalMode journal,
        @DefaultValue("false") boolean journalFsync,
        @DefaultValue("1s") Duration sweepInterval,
        @DefaultValue Udp udp) {

    /**
     * {@code fabric.dhcp.udp.*}: serve DHCP on UDP port 67 of these interfaces (none: front end off).
     *
     * @param interfaces       e.g. {@code eth0,eth1}; one socket each, bound to the device
     * @param port             67 unless testing
     * @param networkNamespace when set, the interfaces live in this named network namespace
     *                         ({@code ip netns}); the rest of the service stays where it runs
     * @param mtu              the largest IP packet a reply may be on these links
     */
    public record Udp(List<String> interfaces, @DefaultValue("67") int port, String networkNamespace,
            @DefaultValue("1500") int mtu) {

        public Udp {
            interfaces = interfaces == null ? List.of() : interfaces.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    /** The same settings with another journal (cluster mode commits into the shared database). */
    public DhcpProperties withJournal(JournalMode mode) {
        return new DhcpProperties(offerHold, declineProbation, workers, queueCapacity, journalBatch, journalWindow, mode,
                journalFsync, sweepInterval, udp);
    }

    /** Where acknowledged lease changes become durable. */
    public enum JournalMode { FILE, DATABASE }

    /** Where a commit is expensive (fsync, a database transaction), batching it under load pays. */
    static final Duration EXPENSIVE_COMMIT_WINDOW = Duration.ofMillis(2);

    /** {@code journalWindow} when set, else what suits the journal: see {@code journalWindow}. */
    public Duration effectiveJournalWindow() {
        if (journalWindow != null) {
            return journalWindow;
        }
        return journal == JournalMode.FILE && !journalFsync ? Duration.ZERO : EXPENSIVE_COMMIT_WINDOW;
    }

    public int effectiveWorkers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
