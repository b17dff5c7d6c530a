package io.fabricipam.controller.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

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
            udhcpcScript = script("udhcpc.sh", """
                    #!/bin/sh
                    case "$1" in
                      deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
                      bound|renew) ip -4 addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface" ;;
                    esac
                    exit 0
                    """);
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
        Path log = lab.dir().resolve("udhcpc-" + iface + ".log");
        return release
                ? lab.execStatus(ns, Duration.ofSeconds(30), log, "udhcpc", "-f", "-q", "-n", "-R", "-i", iface,
                        "-s", udhcpcScript.toString(), "-t", "5", "-T", "1")
                : lab.execStatus(ns, Duration.ofSeconds(30), log, "udhcpc", "-f", "-q", "-n", "-i", iface,
                        "-s", udhcpcScript.toString(), "-t", "5", "-T", "1");
    }

    /** A udhcpc that stays running (renews on SIGUSR1, releases on SIGUSR2); killed by the lab. */
    public Process udhcpcDaemon(String ns, String iface) {
        return lab.start(ns, lab.dir().resolve("udhcpc-" + iface + ".log"), "udhcpc", "-f", "-i", iface,
                "-s", udhcpcScript.toString(), "-t", "5", "-T", "1", "-A", "1", "-p",
                lab.dir().resolve("udhcpc-" + iface + ".pid").toString());
    }

    /** dhclient one-shot (-1): obtain, or renew/reboot from its lease file when run again. */
    public int dhclient(String ns, String iface) {
        return lab.execStatus(ns, Duration.ofSeconds(40), lab.dir().resolve("dhclient-" + iface + ".log"),
                "dhclient", "-4", "-1", "-v", "-sf", dhclientScript.toString(),
                "-pf", lab.dir().resolve("dhclient-" + iface + ".pid").toString(),
                "-lf", lab.dir().resolve("dhclient-" + iface + ".leases").toString(), iface);
    }

    /** dhclient as a daemon kept in the foreground (-d): renews at T1 by itself; the lab kills it. */
    public Process dhclientDaemon(String ns, String iface) {
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
