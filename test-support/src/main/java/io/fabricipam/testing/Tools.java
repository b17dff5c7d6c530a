package io.fabricipam.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * What a test needs from the machine (a program, root, a kernel feature, PostgreSQL) and the one switch that
 * decides what happens when it is missing. On a developer's machine the test is skipped (a JUnit assumption,
 * reported with the reason). Where tools are <em>required</em> it fails instead, because a skipped suite
 * looks green while nothing ran: when the environment has {@code CI=true} or the test JVM has
 * {@code -Dfabric.it.require-tools=true} (which {@code scripts/test} always sets).
 */
public final class Tools {

    /** The system property that turns skips into failures ({@code true}); the environment's {@code CI=true} too. */
    public static final String REQUIRE_PROPERTY = "fabric.it.require-tools";

    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    /** The Debian package of the tools the tests use, for the message. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("ip", "iproute2"), Map.entry("ss", "iproute2"), Map.entry("ethtool", "ethtool"),
            Map.entry("tcpdump", "tcpdump"), Map.entry("udhcpc", "udhcpc"), Map.entry("dhclient", "isc-dhcp-client"),
            Map.entry("dhcpcd", "dhcpcd-base"), Map.entry("dnsmasq", "dnsmasq-base"), Map.entry("perfdhcp", "kea-admin"),
            Map.entry("ovs-vsctl", "openvswitch-switch"), Map.entry("ovs-ofctl", "openvswitch-switch"),
            Map.entry("ovs-appctl", "openvswitch-switch"), Map.entry("tgtd", "tgt"), Map.entry("tgtadm", "tgt"),
            Map.entry("iscsi-inq", "libiscsi-bin"), Map.entry("iscsi-ls", "libiscsi-bin"),
            Map.entry("iscsi-readcapacity16", "libiscsi-bin"), Map.entry("qemu-img", "qemu-utils"),
            Map.entry("qemu-io", "qemu-utils"), Map.entry("virt-xml-validate", "libvirt-clients"),
            Map.entry("xmllint", "libxml2-utils"), Map.entry("runuser", "util-linux"), Map.entry("stdbuf", "coreutils"),
            Map.entry("unshare", "util-linux"), Map.entry("openssl", "openssl"));

    private Tools() {
    }

    /** True when a missing tool must fail the test rather than skip it (CI, or scripts/test). */
    public static boolean required() {
        return required(System.getenv("CI"), System.getProperty(REQUIRE_PROPERTY));
    }

    static boolean required(String ciEnvironment, String requireProperty) {
        return isTrue(ciEnvironment) || isTrue(requireProperty);
    }

    private static boolean isTrue(String value) {
        return value != null && "true".equalsIgnoreCase(value.trim());
    }

    /** The executable {@code tool} in the system directories or on PATH, or null. */
    public static Path find(String tool) {
        List<String> directories = new ArrayList<>(SYSTEM_DIRECTORIES);
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(":")));
        }
        for (String dir : directories) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The path of {@code tool}; when it is missing the calling test is skipped, or fails where tools are required. */
    public static Path require(String tool) {
        Path found = find(tool);
        if (found == null) {
            String pkg = PACKAGES.get(tool);
            missing(tool + " is not installed" + (pkg == null ? "" : " (Debian package " + pkg + ")"));
        }
        return found;
    }

    /** Every one of {@code tools}: see {@link #require(String)}. */
    public static void require(String... tools) {
        for (String tool : tools) {
            require(tool);
        }
    }

    /**
     * Skips the calling test, or fails it where tools are required, unless {@code available}; {@code what}
     * says what is missing, e.g. "root (network namespaces)".
     */
    public static void requireThat(boolean available, String what) {
        if (!available) {
            missing(what);
        }
    }

    /** The test cannot run here: skip it, or fail it where tools are required. Never returns. */
    public static void missing(String reason) {
        if (required()) {
            throw new AssertionFailedError(reason + ". Tools are required here (CI=true or -D" + REQUIRE_PROPERTY
                    + "=true), so this fails instead of skipping; install what is missing with"
                    + " scripts/lib/deps.sh (fabric_ensure_packages).");
        }
        Assumptions.abort(reason + "; skipping (set CI=true or -D" + REQUIRE_PROPERTY + "=true to fail instead)");
    }

    /** True when this JVM runs as root (namespaces, port 67, OVS, PostgreSQL as another user). */
    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
