package io.fabricipam.controller.it;

import io.fabricipam.controller.it.OvsBridges.Guest;
import io.fabricipam.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * dnsmasq as a DHCP server in a guest's namespace: someone else's server (the operator's own on a network
 * we do not manage, or a rogue one). DNS off, no ping check (LAB-NOTES), no configuration file of the host,
 * and its lease file, pid file and log in the lab directory. Runs as root so it can write them there.
 */
final class Dnsmasq implements AutoCloseable {

    private final Process process;
    private final Path leases;
    private final Path log;

    private Dnsmasq(Process process, Path leases, Path log) {
        this.process = process;
        this.leases = leases;
        this.log = log;
    }

    /** Starts dnsmasq on the guest's interface, handing out {@code range}, and waits until it listens on port 67. */
    static Dnsmasq start(NetworkLab lab, Guest guest, String range, String... options) {
        Tools.require("dnsmasq");
        String name = guest.iface() + "-dnsmasq";
        Path leases = lab.dir().resolve(name + ".leases");
        Path log = lab.dir().resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0",
                "--no-ping", "--user=root", "--group=root", "--interface=" + guest.iface(), "--dhcp-range=" + range,
                "--dhcp-leasefile=" + leases, "--pid-file=" + lab.dir().resolve(name + ".pid"),
                "--log-facility=" + log, "--log-dhcp"));
        command.addAll(List.of(options));
        Path output = lab.dir().resolve(name + ".out");
        Process p = lab.start(guest.ns(), output, command.toArray(String[]::new));
        boolean ready = OvsBridges.await(Duration.ofSeconds(20), () -> !p.isAlive()
                || !lab.exec(guest.ns(), "ss", "-Hlun", "sport = :67").isBlank());
        if (!ready || !p.isAlive()) {
            p.destroyForcibly();
            throw new IllegalStateException("dnsmasq did not start: " + read(output));
        }
        return new Dnsmasq(p, leases, log);
    }

    /** Its lease file: one line per lease ("expiry MAC IP hostname client-id"). */
    String leases() {
        return read(leases);
    }

    String log() {
        return read(log);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
