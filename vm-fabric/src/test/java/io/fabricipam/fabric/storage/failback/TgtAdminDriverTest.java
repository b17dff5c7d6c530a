package io.fabricipam.fabric.storage.failback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TgtAdminDriverTest {

    private static String fixture() throws IOException {
        try (InputStream in = TgtAdminDriverTest.class.getResourceAsStream("/tgt/tgtadm-show-target.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheSessionsOfRealTgtadmOutput() throws Exception {
        // captured from tgtd 1.0.85 with 13 targets: QEMU on target 1, a probe on target 3
        List<TargetConnection> connections = TgtAdminDriver.parseShowTarget(fixture());
        assertThat(connections).containsExactly(
                new TargetConnection("iqn.2024-01.io.fabricipam:disk1", "iqn.2008-11.org.linux-kvm", "127.0.0.1",
                        "1", "13", "0"),
                new TargetConnection("iqn.2024-01.io.fabricipam:a-rather-long-target-name-for-continuation-testing-3",
                        "iqn.2024-01.io.fabricipam:health-probe", "127.0.0.1", "3", "14", "0"));
    }

    @Test
    void nothingConnectedIsAnEmptyList() {
        assertThat(TgtAdminDriver.parseShowTarget("Target 1: iqn.x:y\n    System information:\n        Driver: iscsi\n"
                + "    I_T nexus information:\n    LUN information:\n        LUN: 0\n")).isEmpty();
        assertThat(TgtAdminDriver.parseShowTarget("")).isEmpty();
    }

    @Test
    void buildsTheTgtadmCommandLinesForTheTargetsControlPort() throws Exception {
        List<List<String>> commands = new ArrayList<>();
        CommandRunner recorder = (command, timeout) -> {
            commands.add(command);
            return new CommandRunner.Result(0, command.contains("show") ? fixture() : "", "");
        };
        TgtAdminDriver driver = new TgtAdminDriver("tgtadm", recorder, Duration.ofSeconds(1));
        TargetSpec target = new TargetSpec("remote", Portal.parse("127.0.0.1:3260"), false, List.of(), "44");
        TargetConnection qemu = driver.connections(target).get(0);
        driver.drop(target, qemu);
        assertThat(commands).containsExactly(
                List.of("tgtadm", "-C", "44", "--lld", "iscsi", "--op", "show", "--mode", "target"),
                List.of("tgtadm", "-C", "44", "--lld", "iscsi", "--op", "delete", "--mode", "conn", "--tid", "1",
                        "--sid", "13", "--cid", "0"));
    }

    @Test
    void aTargetWithoutAControlPortIsNotManaged() {
        TgtAdminDriver driver = new TgtAdminDriver("tgtadm", (c, t) -> {
            throw new AssertionError("must not run");
        }, Duration.ofSeconds(1));
        TargetSpec noAdmin = TargetSpec.of("remote", "127.0.0.1:3260", false);
        assertThat(driver.manages(noAdmin)).isFalse();
        // an admin that is no control port cannot even be described any more (TargetRules), so never reaches tgtadm
        assertThatThrownBy(() -> noAdmin.withAdmin("not-a-port")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.connections(noAdmin)).isInstanceOf(IOException.class);
    }
}
