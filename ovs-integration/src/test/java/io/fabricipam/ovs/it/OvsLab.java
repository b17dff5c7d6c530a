package io.fabricipam.ovs.it;

import io.fabricipam.ovs.Polling;
import io.fabricipam.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Real Open vSwitch bridges (userspace datapath, fail_mode=secure, OpenFlow 1.3 only) and guests in
 * network namespaces on veth pairs, made for one test class and removed by name afterwards. Everything
 * it creates carries its run's prefix (bridges {@code ofitN...}, namespaces {@code ofit-N-...}), so it
 * never touches another engineer's bridges. It never stops OVS (shared), only starts it when it is down.
 */
final class OvsLab implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final String OVS_CTL = "/usr/share/openvswitch/scripts/ovs-ctl";

    private final String run;
    private final Path dir;
    private final List<String> bridges = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final LabProcesses labProcesses;
    private int links;

    /**
     * @param tag one or two letters naming the test class, part of every name (interface names are short).
     *     Without root or the tools the lab drives, the test is skipped, or fails where tools are required (CI).
     */
    OvsLab(String tag) {
        Tools.requireThat(Tools.root(), "root (network namespaces, Open vSwitch)");
        Tools.require("ovs-vsctl", "ovs-ofctl", "ip", "ethtool", "udhcpc", "tcpdump");
        Tools.requireThat(Files.isExecutable(Path.of(OVS_CTL)), OVS_CTL + " is not installed (Debian package openvswitch-switch)");
        ensureOvsRunning();
        this.run = tag + (ProcessHandle.current().pid() % 1000);
        try {
            this.dir = Files.createTempDirectory("ofit-" + run);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.labProcesses = new LabProcesses(dir);
        // leftovers of an aborted earlier run with the same name
        for (String ns : sh("ip", "netns", "list").lines().map(l -> l.split(" ")[0]).toList()) {
            if (ns.startsWith("ofit-" + run + "-")) {
                sh("ip", "netns", "del", ns);
            }
        }
        for (String br : sh("ovs-vsctl", "list-br").lines().toList()) {
            if (br.startsWith("ofit" + run)) {
                sh("ovs-vsctl", "--if-exists", "del-br", br);
            }
        }
    }

    static void ensureOvsRunning() {
        if (exitCode("ovs-vsctl", "--timeout=3", "show") != 0) {
            sh(OVS_CTL, "start", "--system-id=random", "--no-monitor");
        }
    }

    Path dir() {
        return dir;
    }

    /** A new bridge named ofit{run}{suffix}. */
    String bridge(String suffix) {
        String name = "ofit" + run + suffix;
        if (name.length() > 15) {
            throw new IllegalArgumentException("bridge name too long: " + name);
        }
        sh("ovs-vsctl", "--may-exist", "add-br", name, "--", "set", "bridge", name, "datapath_type=netdev",
                "fail_mode=secure", "protocols=OpenFlow13");
        bridges.add(name);
        return name;
    }

    /**
     * Points the bridge at a controller on 127.0.0.1:port. Two separate commands: OVS connects at once
     * to a new Controller row instead of waiting out its back-off (LAB-NOTES); the back-off is capped at
     * OVS's minimum of 1 s so a restarted controller is found again quickly.
     *
     * <p>Measured here (OVS 3.1, netdev bridges): when a bridge goes from no controller to one, or back,
     * OVS deletes all its meters, and with them every flow that uses a meter. So this also simulates the
     * loss of state an OVS restart causes.
     */
    void connect(String bridge, int port) {
        connectTarget(bridge, "tcp:127.0.0.1:" + port);
    }

    void connectTls(String bridge, int port) {
        connectTarget(bridge, "ssl:127.0.0.1:" + port);
    }

    private void connectTarget(String bridge, String target) {
        sh("ovs-vsctl", "del-controller", bridge);
        sh("ovs-vsctl", "--", "--id=@c", "create", "Controller", "target=\"" + target + "\"", "max_backoff=1000",
                "--", "set", "Bridge", bridge, "controller=@c");
    }

    /** OVS's own view of the bridge's controller connection (lags by up to a few seconds). */
    boolean ovsSaysConnected(String bridge) {
        String uuid = sh("ovs-vsctl", "get", "Bridge", bridge, "controller").replaceAll("[\\[\\]\\s]", "");
        return !uuid.isEmpty() && sh("ovs-vsctl", "get", "Controller", uuid, "is_connected").trim().equals("true");
    }

    void disconnect(String bridge) {
        sh("ovs-vsctl", "del-controller", bridge);
    }

    /**
     * A guest: a namespace with eth0 (MAC {@code mac}, checksum offload off) whose peer is a port of
     * {@code bridge} with OpenFlow number {@code ofport}. {@code settings} are extra ovs-vsctl column
     * assignments for the Port (e.g. "tag=10") or, prefixed with "Interface:", for the Interface.
     * Returns the guest's namespace; the port is named {@link #portName}.
     */
    String guest(String bridge, String name, int ofport, String mac, String... settings) {
        String ns = "ofit-" + run + "-" + name;
        sh("ip", "netns", "add", ns);
        namespaces.add(ns);
        String port = portName(name);
        String inside = "ofg" + run + (++links);
        sh("ip", "link", "add", port, "type", "veth", "peer", "name", inside);
        sh("ip", "link", "set", inside, "netns", ns);
        ns(ns, "ip", "link", "set", inside, "name", "eth0");
        ns(ns, "ip", "link", "set", "eth0", "address", mac);
        ns(ns, "ethtool", "-K", "eth0", "tx", "off");
        ns(ns, "ip", "link", "set", "eth0", "up");
        ns(ns, "ip", "link", "set", "lo", "up");
        sh("ethtool", "-K", port, "tx", "off");
        sh("ip", "link", "set", port, "up");
        addPort(bridge, port, ofport, settings);
        return ns;
    }

    /** Adds an existing interface (or an internal port) to the bridge with a fixed OpenFlow number. */
    void addPort(String bridge, String port, int ofport, String... settings) {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "add-port", bridge, port, "--", "set", "Interface", port,
                "ofport_request=" + ofport));
        List<String> portColumns = new ArrayList<>();
        for (String s : settings) {
            if (s.startsWith("Interface:")) {
                cmd.add(s.substring("Interface:".length()));
            } else {
                portColumns.add(s);
            }
        }
        if (!portColumns.isEmpty()) {
            cmd.addAll(List.of("--", "set", "Port", port));
            cmd.addAll(portColumns);
        }
        sh(cmd.toArray(String[]::new));
    }

    void deletePort(String bridge, String port) {
        sh("ovs-vsctl", "--if-exists", "del-port", bridge, port);
    }

    String portName(String guest) {
        String p = "ofp" + run + guest;
        if (p.length() > 15) {
            throw new IllegalArgumentException("port name too long: " + p);
        }
        return p;
    }

    /** Our flows and everyone else's as {@code dump-flows --no-stats} prints them, sorted, without the leading space. */
    List<String> flows(String bridge) {
        return sh("ovs-ofctl", "-O", "OpenFlow13", "dump-flows", "--no-stats", bridge).lines()
                .map(String::trim).filter(l -> !l.isEmpty()).sorted().toList();
    }

    /** {@code dump-meters}, one line per meter ("meter=N ... bands=type=drop rate=R burst_size=B"). */
    List<String> meters(String bridge) {
        String text = sh("ovs-ofctl", "-O", "OpenFlow13", "dump-meters", bridge);
        List<String> out = new ArrayList<>();
        String current = null;
        for (String line : text.lines().toList()) {
            if (line.startsWith("meter=")) {
                current = line.trim();
            } else if (current != null && line.startsWith("type=")) {
                out.add(current + line.trim());
                current = null;
            }
        }
        return out.stream().sorted().toList();
    }

    String ofctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
        cmd.addAll(Arrays.asList(args));
        return sh(cmd.toArray(String[]::new));
    }

    String vsctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl"));
        cmd.addAll(Arrays.asList(args));
        return sh(cmd.toArray(String[]::new));
    }

    Path udhcpcScript() {
        return labProcesses.udhcpcScript();
    }

    /** Starts a process in a namespace, remembered to be stopped by PID on close; output to a log file. */
    Process start(String ns, String... command) {
        return labProcesses.start(ns, command);
    }

    String log(String ns, Process p) {
        return labProcesses.log(ns, p);
    }

    static void stop(Process p) {
        LabProcesses.stop(p);
    }

    String ns(String ns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(Arrays.asList(command));
        return sh(cmd.toArray(String[]::new));
    }

    /** The IPv4 address (without prefix) on the namespace's eth0, or "" when it has none. */
    String address(String ns) {
        return ns(ns, "ip", "-4", "-o", "addr", "show", "dev", "eth0").lines()
                .map(l -> l.replaceAll(".* inet ([0-9.]+)/.*", "$1")).findFirst().orElse("");
    }

    @Override
    public void close() {
        labProcesses.stopAll();
        for (String br : bridges) {
            exitCode("ovs-vsctl", "--if-exists", "del-br", br);
        }
        for (String ns : namespaces) {
            exitCode("ip", "netns", "del", ns);
        }
        // host ends of veth pairs disappear with their peers; remove any left by a half-made guest
        for (String link : sh("ip", "-o", "link", "show").lines()
                .map(l -> l.split(":")[1].trim().split("@")[0]).filter(l -> l.startsWith("ofp" + run)).toList()) {
            exitCode("ip", "link", "del", link);
        }
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code limit} passes; bounded. */
    static boolean await(Duration limit, BooleanSupplier condition) {
        return Polling.await(limit, Duration.ofMillis(50), condition);
    }

    static String sh(String... command) {
        Result r = exec(command);
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.code + "): " + r.output);
        }
        return r.output;
    }

    static int exitCode(String... command) {
        return exec(command).code;
    }

    private record Result(int code, String output) {
    }

    private static Result exec(String... command) {
        Path out = null;
        try {
            // output to a file, not a pipe: a hung command cannot block us beyond the timeout
            out = Files.createTempFile("ofit-cmd", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " timed out");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    static String lines(List<String> lines) {
        return lines.stream().collect(Collectors.joining("\n"));
    }
}
