package io.fabricipam.ovs.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Makes sure a bridge has the flow-based VXLAN port that carries guest DHCP between hosts
 * ({@code type=vxlan options:remote_ip=flow options:key=flow}: the destination and the key are set per
 * packet by our flows), through {@code ovs-vsctl}. What it does, for a bridge and the configured name and
 * UDP port:
 * <ul>
 *   <li>the named interface is on the bridge and flow-based with that UDP port: reused as it is;</li>
 *   <li>it is not there, but another flow-based VXLAN interface with that UDP port is: that one is used
 *       (its name is returned);</li>
 *   <li>neither: the named port is created;</li>
 *   <li>the named interface exists but is not such a port (a fixed {@code remote_ip} or key, another UDP
 *       port, another type, on another bridge): refused with a message that says what to change. It is
 *       somebody's configuration; we never rewrite it.</li>
 * </ul>
 * The default name {@value #DEFAULT_NAME} starts with the type, as OVS's own examples name tunnel ports,
 * and says whose it is; it fits the 15 characters of an interface name. The default UDP port is IANA's
 * VXLAN port, {@value #DEFAULT_UDP_PORT}; every host of a fabric must use the same one.
 */
public final class VxlanPort {

    public static final String DEFAULT_NAME = "vxlan-fabric";
    public static final int DEFAULT_UDP_PORT = 4789;
    private static final String FLOW = "flow";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OFPORT_POLLS = 40;
    private static final long OFPORT_POLL_MILLIS = 50;

    /** Runs {@code ovs-vsctl} with these arguments and returns its standard output; throws on failure. */
    @FunctionalInterface
    public interface Vsctl {
        String run(List<String> args) throws IOException;
    }

    /**
     * @param name    the port (and interface) name to create or expect
     * @param udpPort the VXLAN UDP destination port ({@code options:dst_port}; OVS's default is 4789)
     */
    public record Settings(String name, int udpPort) {
        public static final Settings DEFAULT = new Settings(DEFAULT_NAME, DEFAULT_UDP_PORT);

        public Settings {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a usable interface name (1-15 of A-Z a-z 0-9 _ . -): " + name);
            }
            if (udpPort < 1 || udpPort > 0xffff) {
                throw new IllegalArgumentException("UDP port out of range: " + udpPort);
            }
        }
    }

    /** The tunnel port the bridge has now: its name, OpenFlow number, and whether we just created it. */
    public record Ensured(String name, int ofport, boolean created) {
    }

    /** The bridge cannot get our tunnel port without changing somebody's configuration. */
    public static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }

    private final Vsctl vsctl;
    private final Settings settings;

    public VxlanPort(Vsctl vsctl, Settings settings) {
        this.vsctl = Objects.requireNonNull(vsctl, "vsctl");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** {@code ovs-vsctl} as a child process, on the database at {@code db} (null: OVS's default socket). */
    public static Vsctl process(Path db, Duration timeout) {
        return args -> {
            List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--timeout=" + Math.max(1, timeout.toSeconds())));
            if (db != null) {
                command.add("--db=unix:" + db);
            }
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
            try {
                if (!process.waitFor(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("ovs-vsctl did not finish in " + timeout);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running ovs-vsctl", e);
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + err.join().trim());
            }
            return out.join();
        };
    }

    /**
     * Makes sure {@code bridge} has the tunnel port (see the class comment).
     *
     * @throws RefusedException when an interface of that name exists and is not a flow-based VXLAN port
     *     with our UDP port on this bridge
     * @throws IOException      when ovs-vsctl fails or OVS could not make the port
     */
    public Ensured ensure(String bridge) throws IOException, RefusedException {
        Set<String> onBridge = Set.copyOf(vsctl.run(List.of("list-ifaces", bridge)).lines().map(String::trim)
                .filter(l -> !l.isEmpty()).toList());
        List<Row> named = find("name=" + settings.name());
        if (!named.isEmpty()) {
            Row row = named.get(0);
            String problem = problem(row);
            if (problem == null && !onBridge.contains(row.name)) {
                problem = "it is not on bridge " + bridge;
            }
            if (problem != null) {
                throw new RefusedException("interface " + row.name + " exists but " + problem + "; fabric-ipam needs a VXLAN port "
                        + "with options:remote_ip=flow options:key=flow and UDP port " + settings.udpPort() + " on " + bridge
                        + ": delete that interface or configure another tunnel port name");
            }
            return new Ensured(row.name, ofport(row.name), false);
        }
        for (Row row : find("type=vxlan")) {
            if (onBridge.contains(row.name) && problem(row) == null) {
                return new Ensured(row.name, ofport(row.name), false);
            }
        }
        List<String> add = new ArrayList<>(List.of("--may-exist", "add-port", bridge, settings.name(), "--", "set", "Interface",
                settings.name(), "type=vxlan", "options:remote_ip=flow", "options:key=flow"));
        if (settings.udpPort() != DEFAULT_UDP_PORT) {
            add.add("options:dst_port=" + settings.udpPort());
        }
        vsctl.run(add);
        return new Ensured(settings.name(), ofport(settings.name()), true);
    }

    /** Why the interface is not a port we can use, or null when it is one. */
    private String problem(Row row) {
        if (!"vxlan".equals(row.type)) {
            return "is of type \"" + row.type + "\"";
        }
        String remote = row.options.get("remote_ip");
        if (!FLOW.equals(remote)) {
            return "has a fixed remote_ip=" + remote;
        }
        String key = row.options.getOrDefault("key", "0");
        if (!FLOW.equals(key)) {
            return "has a fixed key=" + key;
        }
        int udpPort = Integer.parseInt(row.options.getOrDefault("dst_port", String.valueOf(DEFAULT_UDP_PORT)));
        if (udpPort != settings.udpPort()) {
            return "uses UDP port " + udpPort;
        }
        return null;
    }

    /** The interface's OpenFlow number, once OVS has given it one (ovs-vsctl normally waits for that). */
    private int ofport(String name) throws IOException {
        for (int i = 0; i < OFPORT_POLLS; i++) {
            List<Row> rows = find("name=" + name);
            if (rows.isEmpty()) {
                throw new IOException("interface " + name + " disappeared");
            }
            Row row = rows.get(0);
            if (row.ofport > 0) {
                return (int) row.ofport;
            }
            if (row.ofport == -1 || !row.error.isEmpty()) {
                throw new IOException("OVS could not make interface " + name + ": " + (row.error.isEmpty() ? "ofport -1" : row.error));
            }
            try {
                Thread.sleep(OFPORT_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("interface " + name + " got no OpenFlow port number");
    }

    private record Row(String name, String type, Map<String, String> options, long ofport, String error) {
    }

    private List<Row> find(String condition) throws IOException {
        JsonNode reply = JSON.readTree(vsctl.run(List.of("--format=json", "--data=json", "--columns=name,type,options,ofport,error",
                "find", "Interface", condition)));
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : reply.path("data")) {
            rows.add(new Row(OvsdbValues.string(r.get(0)), OvsdbValues.string(r.get(1)), OvsdbValues.map(r.get(2)),
                    OvsdbValues.optionalInt(r.get(3), 0), OvsdbValues.string(r.get(4))));
        }
        return rows;
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
