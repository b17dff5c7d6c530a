package io.fabricipam.fabric.storage.failback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SocketDestroyFenceTest {

    @Test
    void destroysTheEstablishedConnectionsToThePortalAndCountsThem() throws Exception {
        List<List<String>> commands = new ArrayList<>();
        // what ss -K printed here for two aborted sockets
        String printed = "Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n"
                + "0      0          127.0.0.1:59258    127.0.0.1:13368\n"
                + "0      0          127.0.0.1:59260    127.0.0.1:13368\n";
        SocketDestroyFence fence = new SocketDestroyFence("ss", (command, timeout) -> {
            commands.add(command);
            return new CommandRunner.Result(0, printed, "");
        }, Duration.ofSeconds(1));
        assertThat(fence.fence(TargetSpec.of("local", "127.0.0.1:13368", true))).isEqualTo(2);
        assertThat(fence.fence(TargetSpec.of("v6", "[::1]:3260", false))).isEqualTo(2);
        assertThat(commands).containsExactly(
                List.of("ss", "-K", "-t", "-n", "state", "established", "dst", "127.0.0.1", "dport", "=", ":13368"),
                List.of("ss", "-K", "-t", "-n", "state", "established", "dst", "[0:0:0:0:0:0:0:1]", "dport", "=", ":3260"));
    }

    @Test
    void nothingToCutIsZeroAndAFailureIsAnError() {
        assertThat(SocketDestroyFence.countSockets("Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n")).isZero();
        SocketDestroyFence failing = new SocketDestroyFence("ss", (c, t) -> new CommandRunner.Result(1, "",
                "SOCK_DESTROY answers with -EOPNOTSUPP"), Duration.ofSeconds(1));
        assertThatThrownBy(() -> failing.fence(TargetSpec.of("x", "127.0.0.1:3260", true)))
                .isInstanceOf(IOException.class).hasMessageContaining("EOPNOTSUPP");
    }
}
