package io.fabricipam.ovs.it;

import io.fabricipam.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Several "hosts" on one machine, as LAB-NOTES describes for VXLAN: each host is a network namespace with
 * its own {@code ovsdb-server} and {@code ovs-vswitchd} (own run directory, database socket and pid files,
 * userspace datapath), a {@code br-phy}-style bridge whose internal port holds the host's underlay address
 * on a veth to the other hosts, and an integration bridge for guests. Guests are namespaces on veths to a
 * host. The controller of a host is reached over a management veth from the root namespace (the test JVM)
 * to the host's namespace, so the JVM's controllers never listen beyond it.
 *
 * <p>Names carry the prefix {@code tn}: namespaces {@code tn-hN} and {@code tn-gNK}, run directories
 * {@code /run/tn-ovs-N}, veths {@code tn-uN} (underlay), {@code tn-mN} (management), {@code tn-pNK} (guests).
 * Everything is removed on close: the daemons by the PIDs in their pid files, then namespaces, veths and
 * files. Leftovers of an aborted run with these names are removed the same way first.
 */
final class TunnelLab implements AutoCloseable {

    private static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";
    private static final int MAX_HOSTS = 3;
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    /** One host: its namespace, OVS run directory, bridges and addresses. */
    record Host(int index, String ns, Path rundir, String bridge, String phy, String underlayIp, String controllerIp) {
        Path db() {
            return rundir.resolve("db.sock");
        }
    }

    private final Path dir;
    private final List<Host> hosts = new ArrayList<>();
    private final List<String> guests = new ArrayList<>();
    private final LabProcesses labProcesses;

    TunnelLab() {
        Tools.requireThat(Tools.root(), "root (network namespaces, Open vSwitch)");
        Tools.require("ovsdb-server", "ovs-vswitchd", "ovsdb-tool", "ovs-vsctl", "ovs-ofctl", "ovs-appctl", "ip", "ethtool",
                "udhcpc", "tcpdump");
        Tools.requireThat(Files.exists(Path.of(SCHEMA)), SCHEMA + " is not installed (Debian package openvswitch-common)");
        try {
            dir = Files.createTempDirectory("tn-lab");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        labProcesses = new LabProcesses(dir);
        removeLeftovers();
    }

    Path dir() {
        return dir;
    }

    /** Host {@code index} (1..3): namespace, private OVS, integration bridge, management link. */
    Host host(int index) {
        String ns = "tn-h" + index;
        Path rundir = Path.of("/run/tn-ovs-" + index);
        Host host = new Host(index, ns, rundir, "tnbr" + index, "tnphy" + index, "10.99.0." + index, "10.98." + index + ".1");
        hosts.add(host);
        OvsLab.sh("ip", "netns", "add", ns);
        ns(host, "ip", "link", "set", "lo", "up");
        // the kernel also sees the underlay port's frames: it must answer ARP only for its own interface's address
        ns(host, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1");
        try {
            Files.createDirectories(rundir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        OvsLab.sh("ovsdb-tool", "create", rundir.resolve("conf.db").toString(), SCHEMA);
        ns(host, "ovsdb-server", rundir.resolve("conf.db").toString(), "--remote=punix:" + host.db(),
                "--pidfile=" + rundir.resolve("ovsdb-server.pid"), "--unixctl=" + rundir.resolve("ovsdb-server.ctl"),
                "--log-file=" + rundir.resolve("ovsdb-server.log"), "--no-chdir", "--detach");
        vsctl(host, "--no-wait", "init");
        OvsLab.sh("env", "OVS_RUNDIR=" + rundir, "ip", "netns", "exec", ns, "ovs-vswitchd", "unix:" + host.db(),
                "--pidfile=" + rundir.resolve("ovs-vswitchd.pid"), "--unixctl=" + rundir.resolve("ovs-vswitchd.ctl"),
                "--log-file=" + rundir.resolve("ovs-vswitchd.log"), "--no-chdir", "--detach");
        vsctl(host, "add-br", host.bridge, "--", "set", "bridge", host.bridge, "datapath_type=netdev", "fail_mode=secure",
                "protocols=OpenFlow13", "other_config:disable-in-band=true");
        vsctl(host, "add-br", host.phy, "--", "set", "bridge", host.phy, "datapath_type=netdev");
        // management link: the test JVM (root namespace) at .1, the host's vswitchd at .2
        String root = "tn-m" + index;
        OvsLab.sh("ip", "link", "add", root, "type", "veth", "peer", "name", "tn-mi" + index);
        OvsLab.sh("ip", "link", "set", "tn-mi" + index, "netns", ns);
        OvsLab.sh("ip", "addr", "add", host.controllerIp + "/30", "dev", root);
        OvsLab.sh("ip", "link", "set", root, "up");
        ns(host, "ip", "addr", "add", "10.98." + index + ".2/30", "dev", "tn-mi" + index);
        ns(host, "ip", "link", "set", "tn-mi" + index, "up");
        return host;
    }

    /** Joins two hosts' br-phy bridges with a veth and gives each internal port its underlay address. */
    void underlay(Host a, Host b) {
        String ea = "tn-u" + a.index + b.index;
        String eb = "tn-u" + b.index + a.index;
        OvsLab.sh("ip", "link", "add", ea, "type", "veth", "peer", "name", eb);
        for (String[] end : new String[][] {{ea, a.ns}, {eb, b.ns}}) {
            OvsLab.sh("ip", "link", "set", end[0], "netns", end[1]);
        }
        for (Host h : List.of(a, b)) {
            String end = h == a ? ea : eb;
            vsctl(h, "add-port", h.phy, end);
            ns(h, "ip", "link", "set", end, "up");
            if (ns(h, "ip", "-4", "-o", "addr", "show", "dev", h.phy).isBlank()) {
                ns(h, "ip", "addr", "add", h.underlayIp + "/24", "dev", h.phy);
                ns(h, "ip", "link", "set", h.phy, "up");
            }
        }
    }

    /**
     * Makes every host's OVS know every peer's underlay MAC: OVS learns a tunnel neighbour only from an ARP
     * reply crossing br-phy, and drops the first tunnelled packet to a peer it does not know. So each host
     * forgets what its kernel learned (from the peer's own ARP request) and asks again.
     */
    void warmUpNeighbours() {
        for (Host h : hosts) {
            for (Host peer : hosts) {
                if (peer == h) {
                    continue;
                }
                boolean known = OvsLab.await(WARM_UP, () -> {
                    if (appctl(h, "tnl/neigh/show").contains(peer.underlayIp + " ")) {
                        return true;
                    }
                    ns(h, "ip", "neigh", "flush", "all");
                    ns(h, "/usr/bin/python3", "-c", "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
                            + ".sendto(b'x', ('" + peer.underlayIp + "', 9))");
                    return false;
                });
                if (!known) {
                    throw new IllegalStateException(h.ns + " never learned " + peer.underlayIp + ": " + appctl(h, "tnl/neigh/show"));
                }
            }
        }
    }

    /** A guest namespace {@code tn-gHK} on port {@code ofport} of the host's integration bridge. */
    String guest(Host host, int k, int ofport, String mac, String... portSettings) {
        String ns = "tn-g" + host.index + k;
        String port = "tn-p" + host.index + k;
        String inside = "tn-e" + host.index + k;
        OvsLab.sh("ip", "netns", "add", ns);
        guests.add(ns);
        OvsLab.sh("ip", "link", "add", port, "type", "veth", "peer", "name", inside);
        OvsLab.sh("ip", "link", "set", port, "netns", host.ns);
        OvsLab.sh("ip", "link", "set", inside, "netns", ns);
        OvsLab.sh("ip", "netns", "exec", ns, "ip", "link", "set", inside, "name", "eth0");
        OvsLab.sh("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "address", mac);
        OvsLab.sh("ip", "netns", "exec", ns, "ethtool", "-K", "eth0", "tx", "off");
        OvsLab.sh("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
        OvsLab.sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        ns(host, "ethtool", "-K", port, "tx", "off");
        ns(host, "ip", "link", "set", port, "up");
        List<String> add = new ArrayList<>(List.of("add-port", host.bridge, port, "--", "set", "Interface", port,
                "ofport_request=" + ofport));
        if (portSettings.length > 0) {
            add.addAll(List.of("--", "set", "Port", port));
            add.addAll(Arrays.asList(portSettings));
        }
        vsctl(host, add.toArray(String[]::new));
        return ns;
    }

    /** Points the host's integration bridge at a controller listening on its management address. */
    void connect(Host host, int port) {
        vsctl(host, "del-controller", host.bridge);
        vsctl(host, "--", "--id=@c", "create", "Controller", "target=\"tcp:" + host.controllerIp + ":" + port + "\"",
                "max_backoff=1000", "connection_mode=out-of-band", "--", "set", "Bridge", host.bridge, "controller=@c");
    }

    String vsctl(Host host, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--timeout=10", "--db=unix:" + host.db()));
        cmd.addAll(Arrays.asList(args));
        return OvsLab.sh(cmd.toArray(String[]::new));
    }

    String ofctl(Host host, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "OVS_RUNDIR=" + host.rundir, "ovs-ofctl", "-O", "OpenFlow13"));
        cmd.addAll(Arrays.asList(args));
        return OvsLab.sh(cmd.toArray(String[]::new));
    }

    String appctl(Host host, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-appctl", "-t", host.rundir.resolve("ovs-vswitchd.ctl").toString()));
        cmd.addAll(Arrays.asList(args));
        return OvsLab.sh(cmd.toArray(String[]::new));
    }

    /** The integration bridge's flows as {@code dump-flows --no-stats} prints them, trimmed and sorted. */
    List<String> flows(Host host) {
        return ofctl(host, "dump-flows", "--no-stats", host.bridge).lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("OFPST_FLOW")).sorted().toList();
    }

    String ns(Host host, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", host.ns));
        cmd.addAll(Arrays.asList(command));
        return OvsLab.sh(cmd.toArray(String[]::new));
    }

    String guestExec(String ns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(Arrays.asList(command));
        return OvsLab.sh(cmd.toArray(String[]::new));
    }

    /** Starts a process in a namespace, remembered to be stopped by PID on close; output to a log file. */
    Process start(String ns, String... command) {
        return labProcesses.start(ns, command);
    }

    String log(String ns, Process p) {
        return labProcesses.log(ns, p);
    }

    Path udhcpcScript() {
        return labProcesses.udhcpcScript();
    }

    String address(String ns) {
        return guestExec(ns, "ip", "-4", "-o", "addr", "show", "dev", "eth0").lines()
                .map(l -> l.replaceAll(".* inet ([0-9.]+)/.*", "$1")).findFirst().orElse("");
    }

    @Override
    public void close() {
        labProcesses.stopAll();
        for (int i = 1; i <= MAX_HOSTS; i++) {
            stopDaemons(Path.of("/run/tn-ovs-" + i));
        }
        guests.forEach(ns -> OvsLab.exitCode("ip", "netns", "del", ns));
        hosts.forEach(h -> OvsLab.exitCode("ip", "netns", "del", h.ns));
        // the root ends of management veths go with their peers; remove any left by a half-made host
        for (int i = 1; i <= MAX_HOSTS; i++) {
            if (OvsLab.exitCode("ip", "link", "show", "tn-m" + i) == 0) {
                OvsLab.exitCode("ip", "link", "del", "tn-m" + i);
            }
        }
        for (int i = 1; i <= MAX_HOSTS; i++) {
            deleteTree(Path.of("/run/tn-ovs-" + i));
        }
        deleteTree(dir);
    }

    private void removeLeftovers() {
        for (int i = 1; i <= MAX_HOSTS; i++) {
            stopDaemons(Path.of("/run/tn-ovs-" + i));
            deleteTree(Path.of("/run/tn-ovs-" + i));
        }
        for (String ns : OvsLab.sh("ip", "netns", "list").lines().map(l -> l.split(" ")[0]).toList()) {
            if (ns.matches("tn-[hg][0-9]+")) {
                OvsLab.exitCode("ip", "netns", "del", ns);
            }
        }
        for (int i = 1; i <= MAX_HOSTS; i++) {
            if (OvsLab.exitCode("ip", "link", "show", "tn-m" + i) == 0) {
                OvsLab.exitCode("ip", "link", "del", "tn-m" + i);
            }
        }
    }

    /** Stops the OVS daemons of a run directory by the PIDs in their pid files (only if they are those daemons). */
    private static void stopDaemons(Path rundir) {
        for (String daemon : List.of("ovs-vswitchd", "ovsdb-server")) {
            Path pidfile = rundir.resolve(daemon + ".pid");
            Optional<ProcessHandle> process = readPid(pidfile).flatMap(ProcessHandle::of)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(daemon) && c.contains(rundir.toString())).orElse(false));
            process.ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
    }

    private static Optional<Long> readPid(Path pidfile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidfile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a socket file vanishing under us is fine
                }
            });
        } catch (IOException ignored) {
            // best effort: the directory is ours and small
        }
    }
}
