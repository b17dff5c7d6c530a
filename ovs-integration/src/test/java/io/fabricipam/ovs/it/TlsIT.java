package io.fabricipam.ovs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.ovs.OpenFlowController;
import io.fabricipam.ovs.OpenFlowSettings;
import io.fabricipam.ovs.channel.TlsFiles;
import io.fabricipam.ovs.switches.FlowState;
import io.fabricipam.testing.Tools;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenFlow over TLS with a real OVS: a CA made for the test signs our certificate and the switch's;
 * OVS gets its key, certificate and the CA through {@code ovs-vsctl set-ssl} and connects to us with
 * {@code ssl:127.0.0.1:PORT}. The SSL settings are OVS-wide, so the previous ones are put back afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private OvsLab lab;
    private OpenFlowController controller;
    private String previousSsl;
    private String bridge;

    @BeforeAll
    void setUp() throws Exception {
        Tools.require("openssl");
        lab = new OvsLab("t");
        Path d = lab.dir();
        openssl(d, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=ofit test CA");
        for (String who : new String[] {"controller", "switch"}) {
            openssl(d, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                    "-subj", "/CN=ofit " + who);
            openssl(d, "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".pem", "-days", "2");
        }
        previousSsl = lab.vsctl("get-ssl");
        lab.vsctl("set-ssl", d.resolve("switch.key").toString(), d.resolve("switch.pem").toString(), d.resolve("ca.pem").toString());

        controller = new OpenFlowController(OpenFlowSettings.defaults().withListener("127.0.0.1", 0)
                .withTls(new TlsFiles(d.resolve("controller.key"), d.resolve("controller.pem"), d.resolve("ca.pem"))),
                Clock.systemUTC());
        controller.setManagedVlans(Set.of(0));
        controller.start();
        bridge = lab.bridge("s");
        lab.guest(bridge, "t1", 1, "02:00:00:0c:00:01");
    }

    @AfterAll
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        if (lab != null) {
            restoreSsl();
            lab.close();
        }
    }

    @Test
    void ovsConnectsOverTlsAndGetsThePipeline() {
        lab.connectTls(bridge, controller.boundPort());

        assertThat(OvsLab.await(WAIT, () -> controller.switches().stream().anyMatch(s -> s.flowState() == FlowState.SYNCED)))
                .as(lab.vsctl("--columns=status", "list", "Controller")).isTrue();
        assertThat(lab.flows(bridge)).contains(
                "cookie=0xfab1dc0000000002, priority=300,udp,in_port=1,vlan_tci=0x0000/0x1fff,tp_src=68,tp_dst=67 actions=meter:1,CONTROLLER:65535");
    }

    @Test
    void aPlainTcpClientIsCutOffAtTheTlsHandshake() throws Exception {
        int clientPort;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", controller.boundPort()), 2000);
            socket.setSoTimeout(10_000);
            clientPort = socket.getLocalPort();
            OutputStream out = socket.getOutputStream();
            // an OpenFlow 1.3 HELLO in the clear: version 4, type 0, length 8, xid 1
            out.write(new byte[] {4, 0, 0, 8, 0, 0, 0, 1});
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[256];
            int n;
            int total = 0;
            while ((n = in.read(buf)) >= 0 && total < 4096) {
                total += n; // a TLS alert may come first; then the connection closes
            }
            assertThat(n).as("connection closed by the controller").isEqualTo(-1);
        }
        assertThat(controller.switches()).noneMatch(s -> s.remoteAddress().endsWith(":" + clientPort));
    }

    private void restoreSsl() {
        String key = field(previousSsl, "Private key:");
        String cert = field(previousSsl, "Certificate:");
        String ca = field(previousSsl, "CA Certificate:");
        if (key == null || cert == null || ca == null) {
            OvsLab.exitCode("ovs-vsctl", "del-ssl");
        } else {
            OvsLab.exitCode("ovs-vsctl", "set-ssl", key, cert, ca);
        }
    }

    private static String field(String text, String label) {
        if (text == null) {
            return null;
        }
        return text.lines().map(String::trim).filter(l -> l.startsWith(label))
                .map(l -> l.substring(label.length()).trim()).findFirst().orElse(null);
    }

    private static void openssl(Path dir, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
