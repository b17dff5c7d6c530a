package io.fabricipam.controller.it;

import io.fabricipam.testing.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open vSwitch bridges (userspace datapath, fail_mode=secure, OpenFlow 1.3) with guests in the namespaces
 * of a {@link NetworkLab}, plugged in by veth. Every name starts with the lab's prefix: bridges and the
 * bridge end of each veth are {@code prefix-name}, the guest end is {@code prefixname}. On close the
 * bridges are deleted by name (the lab deletes the namespaces, and with them the veths). OVS itself is
 * shared with other engineers: it is started when it is down, never stopped, and no other bridge is touched.
 */
final class OvsBridges implements AutoCloseable {

    /** Our cookie and mask: what {@code ovs-ofctl ... cookie=} needs to select our flows only. */
    static final String OUR_COOKIES = "0xfab1dc0000000000/0xffffff0000000000";

    private static final String OVS_CTL = "/usr/share/openvswitch/scripts/ovs-ctl";
    private static final Pattern STATS = Pattern.compile(" (duration|table|n_packets|n_bytes|idle_age|hard_age)=[^,]*,");
    private static final Pattern PACKETS = Pattern.compile("n_packets=(\\d+)");

    private final NetworkLab lab;
    private final String prefix;
    private final List<String> bridges = new ArrayList<>();

    /** A guest: its namespace, its interface there, the bridge port it is plugged into, and its MAC. */
    record Guest(String ns, String iface, String port, int ofport, String mac) {
    }

    OvsBridges(NetworkLab lab) {
        this.lab = lab;
        this.prefix = lab.prefix();
        Tools.require("ovs-vsctl", "ovs-ofctl", "ovs-appctl");
        Tools.requireThat(java.nio.file.Files.isExecutable(java.nio.file.Path.of(OVS_CTL)),
                OVS_CTL + " is not installed (Debian package openvswitch-switch)");
        if (exitCode("ovs-vsctl", "--timeout=3", "show") != 0) {
            NetworkLab.run(OVS_CTL, "start", "--system-id=random", "--no-monitor");
        }
        // leftovers of an aborted earlier run of this same test (our names only)
        for (String br : NetworkLab.run("ovs-vsctl", "list-br").lines().toList()) {
            if (br.startsWith(prefix + "-")) {
                NetworkLab.run("ovs-vsctl", "--if-exists", "del-br", br);
            }
        }
        for (String link : hostLinks()) {
            exitCode("ip", "link", "del", link);
        }
    }

    private List<String> hostLinks() {
        return NetworkLab.run("ip", "-o", "link", "show").lines()
                .map(l -> l.split(":")[1].trim().split("@")[0])
                .filter(l -> l.startsWith(prefix + "-")).toList();
    }

    /** A new bridge {@code prefix-name} with a fixed datapath id (16 hex digits), so tests know it in advance. */
    String bridge(String name, String datapathId) {
        String br = prefix + "-" + name;
        check(br);
        NetworkLab.run("ovs-vsctl", "--may-exist", "add-br", br, "--", "set", "Bridge", br, "datapath_type=netdev",
                "fail_mode=secure", "protocols=OpenFlow13", "other-config:datapath-id=" + datapathId);
        bridges.add(br);
        return br;
    }

    /**
     * Points the bridge at the service on 127.0.0.1:port. OVS connects at once to a new Controller row
     * (not after its back-off). The row asks for {@code max_backoff=1000}, OVS's minimum, but measured
     * here (OVS 3.1.0) vswitchd still waits 1, 2, 4, then 8 s between refused attempts, so a restarted
     * controller is found within about 8 s, and the tests wait for it. A bridge that had no controller
     * loses all its flows and meters here (OVS flushes them when the set of controllers becomes
     * non-empty or empty).
     */
    void connect(String bridge, int port) {
        NetworkLab.run("ovs-vsctl", "del-controller", bridge);
        NetworkLab.run("ovs-vsctl", "--", "--id=@c", "create", "Controller", "target=\"tcp:127.0.0.1:" + port + "\"",
                "max_backoff=1000", "--", "set", "Bridge", bridge, "controller=@c");
    }

    /** Removes the bridge's controller: OVS flushes every flow and meter of the bridge. */
    void disconnect(String bridge) {
        NetworkLab.run("ovs-vsctl", "del-controller", bridge);
    }

    /**
     * A guest namespace {@code prefix-name} whose interface {@code prefixname} (MAC {@code mac}, checksum
     * offload off on both ends) is plugged into {@code bridge} as port {@code prefix-name} with OpenFlow
     * number {@code ofport}. {@code settings} are ovs-vsctl column assignments for the Port (e.g.
     * "tag=10") or, prefixed "Interface:", for the Interface (e.g. "Interface:external_ids:attached-mac=..").
     */
    Guest guest(String bridge, String name, int ofport, String mac, String... settings) {
        String ns = lab.namespace(name);
        String port = prefix + "-" + name;
        String iface = prefix + name;
        check(port);
        check(iface);
        NetworkLab.run("ip", "link", "add", port, "type", "veth", "peer", "name", iface, "netns", ns);
        lab.exec(ns, "ip", "link", "set", iface, "address", mac);
        lab.exec(ns, "ethtool", "-K", iface, "tx", "off");
        lab.exec(ns, "ip", "link", "set", iface, "up");
        NetworkLab.run("ethtool", "-K", port, "tx", "off");
        NetworkLab.run("ip", "link", "set", port, "up");
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "add-port", bridge, port, "--", "set", "Interface", port,
                "ofport_request=" + ofport));
        List<String> portColumns = new ArrayList<>();
        for (String s : settings) {
            if (s.startsWith("Interface:")) {
                command.add(s.substring("Interface:".length()));
            } else {
                portColumns.add(s);
            }
        }
        if (!portColumns.isEmpty()) {
            command.addAll(List.of("--", "set", "Port", port));
            command.addAll(portColumns);
        }
        NetworkLab.run(command.toArray(String[]::new));
        return new Guest(ns, iface, port, ofport, mac);
    }

    private static void check(String interfaceName) {
        if (interfaceName.length() > 15) {
            throw new IllegalArgumentException("longer than an interface name may be: " + interfaceName);
        }
    }

    /** Every flow of the bridge as {@code dump-flows --no-stats} prints it, trimmed and sorted. */
    List<String> flows(String bridge) {
        return NetworkLab.run("ovs-ofctl", "-O", "OpenFlow13", "dump-flows", bridge, "--no-stats").lines()
                .map(String::trim).filter(l -> l.startsWith("cookie=")).sorted().toList();
    }

    /** Our flows (by cookie) with their packet counters, keyed by the {@code --no-stats} text. */
    Map<String, Long> ourFlowPackets(String bridge) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : NetworkLab.run("ovs-ofctl", "-O", "OpenFlow13", "dump-flows", bridge, "cookie=" + OUR_COOKIES)
                .lines().map(String::trim).filter(l -> l.startsWith("cookie=")).toList()) {
            Matcher m = PACKETS.matcher(line);
            out.put(STATS.matcher(line).replaceAll(""), m.find() ? Long.parseLong(m.group(1)) : -1L);
        }
        return out;
    }

    /** The meters as {@code dump-meters} prints them, one line each ("meter=N ... bands=type=drop rate=R burst_size=B"). */
    List<String> meters(String bridge) {
        List<String> out = new ArrayList<>();
        String current = null;
        for (String line : NetworkLab.run("ovs-ofctl", "-O", "OpenFlow13", "dump-meters", bridge).lines().toList()) {
            if (line.startsWith("meter=")) {
                current = line.trim();
            } else if (current != null && line.startsWith("type=")) {
                out.add(current + line.trim());
                current = null;
            }
        }
        return out.stream().sorted().toList();
    }

    /** Packets the meter's drop band has dropped ({@code meter-stats}, band 0). */
    long meterDrops(String bridge, int meter) {
        return NetworkLab.run("ovs-ofctl", "-O", "OpenFlow13", "meter-stats", bridge, "meter=" + meter).lines()
                .map(String::trim).filter(l -> l.startsWith("0: packet_count:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("0: packet_count:(\\d+).*", "$1"))).sum();
    }

    String vsctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl"));
        command.addAll(List.of(args));
        return NetworkLab.run(command.toArray(String[]::new));
    }

    String ofctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
        command.addAll(List.of(args));
        return NetworkLab.run(command.toArray(String[]::new));
    }

    /**
     * Sends whole Ethernet frames out of the guest's interface through an AF_PACKET socket: how a guest
     * puts on the wire what no ordinary socket sends (bad DHCP, 802.1Q tags the kernel here cannot add).
     */
    void sendFrames(Guest guest, byte[]... frames) {
        StringBuilder hex = new StringBuilder();
        for (byte[] f : frames) {
            hex.append('\'').append(HexFormat.of().formatHex(f)).append("',");
        }
        lab.exec(guest.ns(), "/usr/bin/python3", "-c", "import socket\n"
                + "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n"
                + "s.bind(('" + guest.iface() + "', 0))\n"
                + "for f in (" + hex + "):\n"
                + "    s.send(bytes.fromhex(f))\n");
    }

    /** Flow text as the tests write it (one flow a line, indented at will), trimmed and sorted like {@link #flows}. */
    static List<String> sortedLines(String text) {
        return text.lines().map(String::trim).filter(l -> !l.isEmpty()).sorted().toList();
    }

    /** Polls {@code condition} every 100 ms until it holds or {@code limit} passes (bounded). */
    static boolean await(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            FabricProcess.sleep(100);
        }
        return true;
    }

    private static int exitCode(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        for (String br : bridges) {
            if (exitCode("ovs-vsctl", "--if-exists", "del-br", br) != 0) {
                System.err.println("could not delete bridge " + br);
            }
        }
        // a veth whose guest namespace was never made (a half-made guest) is still here
        for (String link : hostLinks()) {
            exitCode("ip", "link", "del", link);
        }
    }
}
