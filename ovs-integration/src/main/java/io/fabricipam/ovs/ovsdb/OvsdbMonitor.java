package io.fabricipam.ovs.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabricipam.ovs.port.PortBinding;
import io.fabricipam.ovs.port.PortBindingSource;
import io.fabricipam.ovs.port.PortClassifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port roles, VLAN tags and pinned MACs from OVSDB, live: an RFC 7047 {@code monitor} of the Port and
 * Interface tables over the database's unix socket, no fork per poll and no lag. One daemon thread
 * connects, monitors, reads updates and answers the server's echoes; when the database goes away (OVS
 * restart) it keeps the last known bindings and reconnects with a growing pause, and the first reply of
 * the new monitor replaces them.
 */
public final class OvsdbMonitor implements PortBindingSource {

    private static final Logger log = LoggerFactory.getLogger(OvsdbMonitor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    private static final String MONITOR_ID = "fabric-ipam";

    private final Path socket;
    private final PortClassifier classifier;
    private final OvsdbTables tables = new OvsdbTables();
    private volatile Map<String, PortBinding> bindings = Map.of();
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile SocketChannel channel;
    private Thread reader;
    private Runnable onChange = () -> { };

    public OvsdbMonitor(Path socket, PortClassifier classifier) {
        this.socket = socket;
        this.classifier = classifier;
    }

    @Override
    public synchronized void start(Runnable listener) {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        this.onChange = listener;
        reader = new Thread(this::run, "ovsdb-monitor");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public Map<String, PortBinding> bindings() {
        return bindings;
    }

    @Override
    public boolean connected() {
        return connected;
    }

    private void run() {
        Duration pause = FIRST_RETRY;
        boolean warned = false;
        while (!closed) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                channel = ch;
                if (closed) {
                    return;
                }
                log.info("OVSDB: connected to {}", socket);
                pause = FIRST_RETRY;
                warned = false;
                session(ch);
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!warned) {
                    log.warn("OVSDB: {} unavailable ({}); keeping the last known ports, retrying", socket, e.toString());
                    warned = true;
                }
            } finally {
                connected = false;
                channel = null;
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : pause.multipliedBy(2);
        }
    }

    private void session(SocketChannel ch) throws IOException {
        InputStream in = Channels.newInputStream(ch);
        send(ch, monitorRequest());
        try (MappingIterator<JsonNode> messages = JSON.readerFor(JsonNode.class).readValues(in)) {
            while (!closed && messages.hasNextValue()) {
                JsonNode message = messages.nextValue();
                String method = message.path("method").asText("");
                if (method.equals("echo")) {
                    ObjectNode reply = JSON.createObjectNode();
                    reply.set("result", message.path("params"));
                    reply.putNull("error");
                    reply.set("id", message.get("id"));
                    send(ch, reply);
                } else if (method.equals("update")) {
                    tables.apply(message.path("params").path(1));
                    publish();
                } else if (message.path("id").asText("").equals("monitor")) {
                    if (!message.path("error").isNull() && !message.path("error").isMissingNode()) {
                        throw new IOException("monitor refused: " + message.get("error"));
                    }
                    tables.clear();
                    tables.apply(message.path("result"));
                    connected = true;
                    publish();
                }
            }
        }
    }

    private ObjectNode monitorRequest() {
        ObjectNode request = JSON.createObjectNode();
        request.put("method", "monitor");
        request.put("id", "monitor");
        ArrayNode params = request.putArray("params");
        params.add("Open_vSwitch");
        params.add(MONITOR_ID);
        ObjectNode requests = params.addObject();
        columns(requests.putObject(OvsdbTables.PORT), List.of("name", "interfaces", "tag", "trunks", "vlan_mode", "external_ids"));
        columns(requests.putObject(OvsdbTables.INTERFACE), List.of("name", "type", "ofport", "external_ids"));
        return request;
    }

    private static void columns(ObjectNode request, List<String> names) {
        ArrayNode columns = request.putArray("columns");
        names.forEach(columns::add);
    }

    private void publish() {
        Map<String, PortBinding> next = Map.copyOf(tables.bindings(classifier));
        if (!next.equals(bindings)) {
            bindings = next;
            try {
                onChange.run();
            } catch (RuntimeException e) {
                log.warn("OVSDB: change listener failed", e);
            }
        }
    }

    /**
     * Writes on the channel itself, not through {@code Channels.newOutputStream}: that stream and the input
     * stream share the channel's blocking lock, so a write would wait for a read that waits for data.
     */
    private static void send(SocketChannel ch, JsonNode message) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(message));
        while (bytes.hasRemaining()) {
            ch.write(bytes);
        }
    }

    @Override
    public void close() {
        closed = true;
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing to wake the reader; nothing else to do
            }
        }
        Thread t;
        synchronized (this) {
            t = reader;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
