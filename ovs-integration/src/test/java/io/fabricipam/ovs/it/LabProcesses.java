package io.fabricipam.ovs.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the OVS labs ({@link OvsLab}, {@link TunnelLab}) start inside their namespaces: each process remembered
 * to be stopped by PID (with its children), its output in a log file of the lab's directory; and the DHCP
 * client script that configures only the namespace's own interface (never the host's /etc).
 */
final class LabProcesses {

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    LabProcesses(Path dir) {
        this.dir = dir;
    }

    /** Starts a process in a namespace, remembered to be stopped by PID; output to a log file. */
    Process start(String ns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(Arrays.asList(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(ns + "-" + processes.size() + ".log").toFile()).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String log(String ns, Process p) {
        try {
            return Files.readString(dir.resolve(ns + "-" + processes.indexOf(p) + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** A udhcpc script that configures only the namespace's interface. */
    Path udhcpcScript() {
        Path script = dir.resolve("udhcpc.sh");
        if (!Files.exists(script)) {
            try {
                Files.writeString(script, """
                        #!/bin/sh
                        case "$1" in
                          deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
                          bound|renew) ip -4 addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface" ;;
                        esac
                        """);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return script;
    }

    /** Every process started, by PID, children first. */
    void stopAll() {
        processes.forEach(LabProcesses::stop);
    }

    static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
