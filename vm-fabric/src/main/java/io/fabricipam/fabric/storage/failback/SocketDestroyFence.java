package io.fabricipam.fabric.storage.failback;

import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * {@link ConnectionFence} with {@code ss -K} (iproute2): the kernel's SOCK_DESTROY aborts the
 * matching sockets and their owners see ECONNABORTED, which libiscsi treats as a lost
 * connection and reconnects. Needs root and a kernel with CONFIG_INET_DIAG_DESTROY (checked on
 * this machine's 6.x kernel). Every established TCP connection from this host to the target's
 * portal is cut, whichever process owns it: they all talk to a target that stopped answering.
 */
public final class SocketDestroyFence implements ConnectionFence {

    private final String ss;
    private final CommandRunner runner;
    private final Duration timeout;

    public SocketDestroyFence(String ss, CommandRunner runner, Duration timeout) {
        this.ss = ss;
        this.runner = runner;
        this.timeout = timeout;
    }

    public static SocketDestroyFence onThisHost() {
        return new SocketDestroyFence("ss", CommandRunner.PROCESS, Duration.ofSeconds(5));
    }

    @Override
    public int fence(TargetSpec target) throws IOException {
        InetAddress address = InetAddress.getByName(target.portal().host());
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        List<String> command = List.of(ss, "-K", "-t", "-n", "state", "established", "dst", host, "dport", "=",
                ":" + target.portal().port());
        CommandRunner.Result result = runner.run(command, timeout);
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + result.exitCode() + "): "
                    + result.stderr().strip());
        }
        return countSockets(result.stdout());
    }

    /** ss prints a header line, then one line per socket it destroyed. */
    static int countSockets(String output) {
        return (int) output.lines().skip(1).filter(line -> !line.isBlank()).count();
    }
}
