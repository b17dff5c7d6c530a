package io.fabricipam.controller.it;

import io.fabricipam.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Real DHCP clients run in a lab namespace, each with OUR script that only sets the interface address:
 * the stock scripts rewrite the host's /etc/resolv.conf (namespaces share the host's /etc).
 */
public final class DhcpClients {

    private final NetworkLab lab;
    private final Path udhcpcScript;
    private final Path dhclientScript;
    private final Path dhcpcdScript;
    private final Path dhcpcdConfig;

    public DhcpClients(NetworkLab lab) {
        this.lab = lab;
        try {
            // bound/renew also record what the server sent (see leaseOf), so tests can check whose lease it is
            udhcpcScript = script("udhcpc.sh", """
                    #!/bin/sh
                    case "$1" in
                      deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
                      bound|renew) ip -4 addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface"
                        env | grep -E '^(ip|mask|serverid|router|dns|domain|lease)=' > "%s/udhcpc-$interface.lease" ;;
                    esac
                    exit 0
                    """.formatted(lab.dir()));
            dhclientScript = script("dhclient.sh", """
                    #!/bin/sh
                    case "$reason" in
                      PREINIT) ip link set "$interface" up ;;
                      BOUND|RENEW|REBIND|REBOOT)
                        if [ "$old_ip_address" != "$new_ip_address" ]; then ip -4 addr flush dev "$interface"; fi
                        ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
                      EXPIRE|FAIL|RELEASE|STOP) ip -4 addr flush dev "$interface" ;;
                    esac
                    exit 0
                    """);
            // dhcpcd sets addresses itself; its hook runner would rewrite resolv.conf, so ours does nothing
            dhcpcdScript = script("dhcpcd.sh", "#!/bin/sh\nexit 0\n");
            dhcpcdConfig = lab.dir().resolve("dhcpcd.conf");
            Files.writeString(dhcpcdConfig, "noipv4ll\nnoipv6rs\nipv4only\nnohook resolv.conf\noption subnet_mask, routers, domain_name_servers\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path script(String name, String text) throws IOException {
        Path p = lab.dir().resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** udhcpc: obtain a lease and exit (-q); release on exit when {@code release}. Returns its exit code. */
    public int udhcpc(String ns, String iface, boolean release) {
        Tools.require("udhcpc");
        Path log = lab.dir().resolve("udhcpc-" + iface + ".log");
        return release
                ? lab.execStatus(ns, Duration.ofSeconds(30), log, "udhcpc", "-f", "-q", "-n", "-R", "-i", iface,
                        "-s", udhcpcScript.toString(), "-t", "5", "-T", "1")
                : lab.execStatus(ns, Duration.ofSeconds(30), log, "udhcpc", "-f", "-q", "-n", "-i", iface,
                        "-s", udhcpcScript.toString(), "-t", "5", "-T", "1");
    }

    /**
     * udhcpc one-shot giving up after {@code tries} DISCOVERs one second apart: for networks where nobody
     * (or not we) should answer. Returns its exit code (non-zero: no lease).
     */
    public int udhcpcTries(String ns, String iface, int tries) {
        Tools.require("udhcpc");
        return lab.execStatus(ns, Duration.ofSeconds(tries + 20L), lab.dir().resolve("udhcpc-" + iface + ".log"),
                "udhcpc", "-f", "-q", "-n", "-i", iface, "-s", udhcpcScript.toString(), "-t", Integer.toString(tries), "-T", "1");
    }

    /**
     * What the last udhcpc lease on {@code iface} carried, as its script saw it: {@code ip}, {@code serverid},
     * {@code router}, {@code dns}, {@code domain}, {@code lease}, {@code mask}. Empty before the first lease.
     */
    public Map<String, String> leaseOf(String iface) {
        Path file = lab.dir().resolve("udhcpc-" + iface + ".lease");
        Map<String, String> values = new TreeMap<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        values.put(line.substring(0, eq), line.substring(eq + 1).trim());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    /** The log udhcpc writes for {@code iface} (one-shot runs and the daemon append to it). */
    public String udhcpcLog(String iface) {
        try {
            Path log = lab.dir().resolve("udhcpc-" + iface + ".log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The client identifier (option 61) udhcpc sends unless told not to (-C): type 1 (Ethernet) and the MAC. The
     * server knows a udhcpc client by it, so a test speaking for that client must send it too.
     */
    public static byte[] udhcpcClientId(String mac) {
        byte[] id = new byte[7];
        id[0] = 1;
        String[] octets = mac.split(":");
        for (int i = 0; i < 6; i++) {
            id[i + 1] = (byte) Integer.parseInt(octets[i], 16);
        }
        return id;
    }

    /** A udhcpc that stays running (renews on SIGUSR1, releases on SIGUSR2); killed by the lab. */
    public Process udhcpcDaemon(String ns, String iface) {
        Tools.require("udhcpc");
        return lab.start(ns, lab.dir().resolve("udhcpc-" + iface + ".log"), "udhcpc", "-f", "-i", iface,
                "-s", udhcpcScript.toString(), "-t", "5", "-T", "1", "-A", "1", "-p",
                lab.dir().resolve("udhcpc-" + iface + ".pid").toString());
    }

    /** dhclient one-shot (-1): obtain, or renew/reboot from its lease file when run again. */
    public int dhclient(String ns, String iface) {
        Tools.require("dhclient");
        Path pidFile = lab.dir().resolve("dhclient-" + iface + ".pid");
        try {
            Files.deleteIfExists(pidFile); // so that only the daemon of this run can be found there
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int code = lab.execStatus(ns, Duration.ofSeconds(40), lab.dir().resolve("dhclient-" + iface + ".log"),
                "dhclient", "-4", "-1", "-v", "-sf", dhclientScript.toString(), "-pf", pidFile.toString(),
                "-lf", lab.dir().resolve("dhclient-" + iface + ".leases").toString(), iface);
        if (code == 0) {
            stopDaemon(pidFile);
        }
        return code;
    }

    /**
     * Once bound, {@code dhclient -1} goes on as a daemon, out of the lab's sight: it would outlive the test
     * and keep its deleted namespace alive. The daemon writes its pid file after the command has returned,
     * so wait for it (bounded). SIGTERM ends it without a release and without running the script: the
     * interface keeps its address and the lease file its lease.
     */
    private static void stopDaemon(Path pidFile) {
        for (int i = 0; i < 50; i++) {
            try {
                if (Files.exists(pidFile)) {
                    String text = Files.readString(pidFile).trim();
                    if (!text.isEmpty()) {
                        ProcessHandle.of(Long.parseLong(text))
                                .filter(p -> p.info().command().map(c -> c.endsWith("dhclient")).orElse(false))
                                .ifPresent(DhcpClients::terminate);
                        return;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // being written: look again
            }
            FabricProcess.sleep(100);
        }
    }

    private static void terminate(ProcessHandle p) {
        p.destroy();
        try {
            p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
        }
    }

    /** dhclient as a daemon kept in the foreground (-d): renews at T1 by itself; the lab kills it. */
    public Process dhclientDaemon(String ns, String iface) {
        Tools.require("dhclient");
        return lab.start(ns, lab.dir().resolve("dhclient-" + iface + ".log"), "dhclient", "-4", "-d", "-v",
                "-sf", dhclientScript.toString(), "-pf", lab.dir().resolve("dhclient-" + iface + ".pid").toString(),
                "-lf", lab.dir().resolve("dhclient-" + iface + ".leases").toString(), iface);
    }

    /** dhclient -r: release the lease recorded in its lease file (and stop the daemon of that pid file). */
    public int dhclientRelease(String ns, String iface) {
        return lab.execStatus(ns, Duration.ofSeconds(20), lab.dir().resolve("dhclient-" + iface + ".log"),
                "dhclient", "-4", "-r", "-v", "-sf", dhclientScript.toString(),
                "-pf", lab.dir().resolve("dhclient-" + iface + ".pid").toString(),
                "-lf", lab.dir().resolve("dhclient-" + iface + ".leases").toString(), iface);
    }

    /**
     * dhcpcd as a daemon in a private mount namespace: its lease file and control socket live in the lab
     * directory, not in the host's /var/lib/dhcpcd and /run. {@link DhcpcdSession#release()} runs
     * {@code dhcpcd -k} in that same namespace (it finds the daemon through its socket).
     */
    public DhcpcdSession dhcpcd(String ns, String iface) {
        Tools.require("dhcpcd", "unshare");
        Path dir = lab.dir().resolve("dhcpcd-" + iface);
        Path script = lab.dir().resolve("dhcpcd-session.sh");
        try {
            Files.createDirectories(dir.resolve("db"));
            if (!Files.exists(script)) {
                script(script.getFileName().toString(), """
                        #!/bin/sh
                        # $1 state dir, $2 interface, $3 config, $4 hook script
                        set -eu
                        mount --bind "$1/db" /var/lib/dhcpcd
                        mount -t tmpfs fabric-lab-run /run
                        mkdir /run/dhcpcd
                        dhcpcd -4 -B -d -f "$3" -c "$4" "$2" &
                        pid=$!
                        n=0
                        while [ ! -e "$1/release" ]; do
                          n=$((n + 1)); [ $n -le 3000 ] || exit 3
                          kill -0 $pid 2>/dev/null || exit 4
                          sleep 0.1
                        done
                        dhcpcd -4 -k -f "$3" "$2"
                        wait $pid || true
                        """);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Process p = lab.start(ns, lab.dir().resolve("dhcpcd-" + iface + ".log"), "unshare", "-m", "--propagation",
                "private", "/bin/sh", script.toString(), dir.toString(), iface, dhcpcdConfig.toString(), dhcpcdScript.toString());
        return new DhcpcdSession(p, dir);
    }

    /** A running dhcpcd; {@link #release()} makes it release its lease and waits for it to end. */
    public record DhcpcdSession(Process process, Path dir) {
        public int release() {
            try {
                Files.writeString(dir.resolve("release"), "");
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return -1;
                }
                return process.exitValue();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
