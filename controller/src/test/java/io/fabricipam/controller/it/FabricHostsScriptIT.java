package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three-host lab of {@code scripts/lib/fabric-hosts.sh} (what {@code scripts/cluster-demo} stands on): three
 * namespaces, each with a private OVS, joined by VXLAN over an underlay; a guest on host 1 reaches a guest on
 * host 2 through flow-based tunnel flows; then everything it made is gone (namespaces, OVS processes).
 */
class FabricHostsScriptIT {

    static final String PREFIX = "fhs";

    @Test
    void threeHostsJoinedByVxlanCarryAGuestsTrafficAndLeaveNothingBehind(@TempDir Path tmp) throws Exception {
        Tools.requireThat(Tools.root(), "root (network namespaces, private OVS instances)");
        Tools.require("ip", "ping", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl");
        Path lib = Path.of("..", "scripts", "lib", "fabric-hosts.sh").toAbsolutePath().normalize();
        Path run = tmp.resolve("run");
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder("bash", "-c", "set -euo pipefail; . \"$0\"; fabric_hosts_selftest " + PREFIX
                + " \"$1\"", lib.toString(), run.toString()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        System.out.println(output.lines().filter(l -> l.contains("hosts up") || l.contains("packet loss")).toList());

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("3 packets transmitted, 3 received, 0% packet loss")
                .contains("set_field:192.168.99.12->tun_dst");
        String namespaces = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(namespaces.lines().filter(l -> l.startsWith(PREFIX + "-"))).as("namespaces left").isEmpty();
        assertThat(run).as("run directory (and the OVS processes' pid files) removed").doesNotExist();
    }
}
