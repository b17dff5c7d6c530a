package io.fabricipam.ovs.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.ovs.Polling;
import io.fabricipam.ovs.frame.MacAddress;
import io.fabricipam.ovs.port.PortBinding;
import io.fabricipam.ovs.port.PortClassifier;
import io.fabricipam.ovs.port.PortRole;
import io.fabricipam.ovs.port.TaggedVlans;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor against a scripted OVSDB server on a unix socket (the real one is exercised by the ITs). */
class OvsdbMonitorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private OvsdbMonitor monitor;
    private ServerSocketChannel server;

    @AfterEach
    void close() throws IOException {
        if (monitor != null) {
            monitor.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void monitorsPortsAndInterfacesAndFollowsUpdates() throws Exception {
        Path socket = listen();
        AtomicInteger changes = new AtomicInteger();
        monitor = new OvsdbMonitor(socket, new PortClassifier(Set.of("eth0"), Set.of()));
        monitor.start(changes::incrementAndGet);

        try (SocketChannel peer = server.accept()) {
            Session s = new Session(peer);
            JsonNode request = s.next();
            assertThat(request.get("method").asText()).isEqualTo("monitor");
            assertThat(request.get("params").get(0).asText()).isEqualTo("Open_vSwitch");
            assertThat(request.get("params").get(2).get("Port").get("columns").toString()).contains("tag", "trunks", "vlan_mode");

            s.send("""
                    {"id": %s, "error": null, "result": {
                      "Port": {
                        "p1": {"new": {"name": "vm1", "interfaces": ["uuid", "i1"], "tag": 10, "trunks": ["set", []],
                                       "vlan_mode": ["set", []], "external_ids": ["map", []]}},
                        "p2": {"new": {"name": "trunk", "interfaces": ["uuid", "i2"], "tag": ["set", []],
                                       "trunks": ["set", [20, 30]], "vlan_mode": ["set", []], "external_ids": ["map", []]}},
                        "p3": {"new": {"name": "eth0", "interfaces": ["uuid", "i3"], "tag": ["set", []], "trunks": ["set", []],
                                       "vlan_mode": ["set", []], "external_ids": ["map", []]}},
                        "p4": {"new": {"name": "vx", "interfaces": ["uuid", "i4"], "tag": ["set", []], "trunks": ["set", []],
                                       "vlan_mode": ["set", []], "external_ids": ["map", [["fabric-role", "uplink"]]]}}
                      },
                      "Interface": {
                        "i1": {"new": {"name": "vm1", "type": "", "ofport": 1,
                                       "external_ids": ["map", [["attached-mac", "02:00:00:00:00:01"]]]}},
                        "i2": {"new": {"name": "trunk", "type": "tap", "ofport": 2, "external_ids": ["map", []]}},
                        "i3": {"new": {"name": "eth0", "type": "", "ofport": 3, "external_ids": ["map", []]}},
                        "i4": {"new": {"name": "vx", "type": "vxlan", "ofport": ["set", []], "external_ids": ["map", []]}}
                      }}}
                    """.formatted(request.get("id")));

            assertThat(await(() -> monitor.bindings().size() == 4)).isTrue();
            assertThat(monitor.connected()).isTrue();
            assertThat(monitor.bindings().get("vm1")).isEqualTo(new PortBinding("vm1", "", 1, PortRole.GUEST, 10,
                    TaggedVlans.NONE, MacAddress.parse("02:00:00:00:00:01")));
            assertThat(monitor.bindings().get("trunk")).isEqualTo(new PortBinding("trunk", "tap", 2, PortRole.GUEST, 0,
                    TaggedVlans.of(Set.of(20, 30)), null));
            assertThat(monitor.bindings().get("eth0").role()).isEqualTo(PortRole.UPLINK);
            assertThat(monitor.bindings().get("vx").role()).as("external_ids beats the type").isEqualTo(PortRole.UPLINK);
            assertThat(monitor.bindings().get("vx").ofport()).isEqualTo(-1);

            // the server's keepalive must be answered with its id and params
            s.send("{\"id\": \"e1\", \"method\": \"echo\", \"params\": [\"ping\"]}");
            JsonNode echo = s.next();
            assertThat(echo.get("id").asText()).isEqualTo("e1");
            assertThat(echo.get("result").get(0).asText()).isEqualTo("ping");

            int before = changes.get();
            s.send("""
                    {"id": null, "method": "update", "params": ["fabric-ipam", {
                      "Port": {"p1": {"old": {"tag": 10}, "new": {"name": "vm1", "interfaces": ["uuid", "i1"], "tag": 20,
                               "trunks": ["set", []], "vlan_mode": ["set", []], "external_ids": ["map", []]}},
                               "p3": {"old": {"name": "eth0"}}}}]}
                    """);
            assertThat(await(() -> monitor.bindings().size() == 3 && monitor.bindings().get("vm1").vlan() == 20)).isTrue();
            assertThat(changes.get()).isGreaterThan(before);
        }
        // the server went away: the last bindings stay, and the monitor comes back for a fresh snapshot
        assertThat(await(() -> !monitor.connected())).isTrue();
        assertThat(monitor.bindings()).hasSize(3);
        try (SocketChannel again = server.accept()) {
            Session s = new Session(again);
            JsonNode request = s.next();
            s.send("{\"id\": " + request.get("id") + ", \"error\": null, \"result\": {}}");
            assertThat(await(() -> monitor.bindings().isEmpty() && monitor.connected())).isTrue();
        }
    }

    @Test
    void aBadAttachedMacIsIgnoredNotFatal() throws Exception {
        Path socket = listen();
        monitor = new OvsdbMonitor(socket, new PortClassifier(Set.of(), Set.of()));
        monitor.start(() -> { });
        try (SocketChannel peer = server.accept()) {
            Session s = new Session(peer);
            JsonNode request = s.next();
            s.send("""
                    {"id": %s, "error": null, "result": {
                      "Port": {"p1": {"new": {"name": "vm1", "interfaces": ["uuid", "i1"], "tag": ["set", []], "trunks": ["set", []],
                               "vlan_mode": "access", "external_ids": ["map", []]}}},
                      "Interface": {"i1": {"new": {"name": "vm1", "type": "", "ofport": 4,
                               "external_ids": ["map", [["attached-mac", "not-a-mac"]]]}}}}}
                    """.formatted(request.get("id")));
            assertThat(await(() -> monitor.bindings().containsKey("vm1"))).isTrue();
            PortBinding b = monitor.bindings().get("vm1");
            assertThat(b.attachedMac()).isNull();
            assertThat(b.tagged()).as("vlan_mode=access carries no tagged VLANs").isEqualTo(TaggedVlans.NONE);
        }
    }

    private Path listen() throws IOException {
        Path socket = dir.resolve("db.sock");
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return socket;
    }

    /** One scripted server connection: concatenated JSON both ways, as OVSDB does. */
    private static final class Session {
        private final SocketChannel channel;
        private final BlockingQueue<JsonNode> incoming = new LinkedBlockingQueue<>();

        Session(SocketChannel channel) {
            this.channel = channel;
            InputStream in = Channels.newInputStream(channel);
            Thread reader = new Thread(() -> {
                try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(in)) {
                    while (it.hasNextValue()) {
                        incoming.add(it.nextValue());
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the test closed the connection
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        JsonNode next() throws InterruptedException {
            JsonNode node = incoming.poll(10, TimeUnit.SECONDS);
            assertThat(node).as("a message from the monitor").isNotNull();
            return node;
        }

        /** Straight on the channel: a stream from Channels would wait for the reader's lock. */
        void send(String json) throws IOException {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    private static boolean await(BooleanSupplier condition) {
        return Polling.await(Duration.ofSeconds(10), Duration.ofMillis(10), condition);
    }
}
