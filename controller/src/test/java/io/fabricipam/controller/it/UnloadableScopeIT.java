package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.RequestContext;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Item 5 of issue 9: a stored scope that cannot be loaded (here a boot file name with a non-ASCII character,
 * written straight into the H2 database, as an older version let through) is reported and skipped at start;
 * every other scope serves DHCP. The operator sees it in /actuator/health and in the scope list, and can fix
 * it with PUT or remove it with DELETE. The application runs in-process; no network namespace is needed.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class UnloadableScopeIT {

    static final String TOKEN = "fip_rg-unloadable-" + UUID.randomUUID();
    static final UUID GOOD = UUID.fromString("00000000-0000-0000-0000-00000000a001");
    static final UUID BROKEN = UUID.fromString("00000000-0000-0000-0000-00000000a002");
    static final UUID DOOMED = UUID.fromString("00000000-0000-0000-0000-00000000a003");
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        data = Files.createTempDirectory("rg-unloadable-");
        String url = "jdbc:h2:file:" + data.resolve("fabric-ipam")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
        Flyway.configure().dataSource(url, "sa", "").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            insertScope(c, GOOD, "good", "10.61.0.0", "{\"dnsServers\":[\"10.61.0.53\"]}");
            insertScope(c, BROKEN, "broken", "10.62.0.0", "{\"bootFile\":\"pxelinux-\u00e9.0\"}");
            insertScope(c, DOOMED, "doomed", "10.63.0.0", "{\"tftpServer\":\"tftp\u0000server\"}");
        }
        registry.add("fabric.data-dir", data::toString);
        registry.add("fabric.api.admin-token", () -> TOKEN);
        registry.add("fabric.openflow.port", () -> "0");
        registry.add("fabric.storage.redirector.listen", () -> "127.0.0.1:0");
    }

    /** A /24 with gateway .1 and pool .100-.199, written as SQL: no model class checks it on the way in. */
    static void insertScope(Connection c, UUID id, String name, String network, String options) throws SQLException {
        long net = Ipv4Address.parse(network).unsigned();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO scope (id, name, network, prefix, gateway, vlan,"
                + " lease_seconds, options, version, created_at, updated_at)"
                + " VALUES (?, ?, ?, 24, ?, 0, 3600, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.setLong(3, net);
            ps.setLong(4, net + 1);
            ps.setString(5, options);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO scope_pool (scope_id, ordinal, first_address,"
                + " last_address) VALUES (?, 0, ?, ?)")) {
            ps.setObject(1, id);
            ps.setLong(2, net + 100);
            ps.setLong(3, net + 199);
            ps.executeUpdate();
        }
    }

    @AfterAll
    static void clean() throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    DhcpServer dhcp;
    final ObjectMapper json = new ObjectMapper();

    JsonNode call(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> r = new FabricApi(port, TOKEN).send(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : json.readTree(r.body());
    }

    String lease(String network, String mac) throws Exception {
        String server = network.substring(0, network.lastIndexOf('.')) + ".1";
        RequestContext link = RequestContext.onLink(List.of(Ipv4Address.parse(server)), "rg:test");
        var offer = dhcp.handle(ClientPacket.discover().mac(mac).decoded(), link).get(5, TimeUnit.SECONDS);
        if (offer.reply() == null) {
            return String.valueOf(offer.dropped());
        }
        var ack = dhcp.handle(ClientPacket.request().mac(mac).serverId(server)
                .requested(offer.reply().yiaddr().toString()).decoded(), link).get(5, TimeUnit.SECONDS);
        return ack.reply().messageType() == DhcpMessageType.ACK ? ack.reply().yiaddr().toString() : ack.reply().messageType().name();
    }

    static JsonNode byId(JsonNode page, UUID id) {
        for (JsonNode item : page.get("items")) {
            if (item.get("id").asText().equals(id.toString())) {
                return item;
            }
        }
        throw new AssertionError("scope " + id + " is not listed: " + page);
    }

    @Test
    void aScopeThatCannotBeLoadedIsReportedAndSkippedAndCanBeFixedOrDeleted(CapturedOutput output) throws Exception {
        // the others serve
        assertThat(lease("10.61.0.0", "02:61:00:00:00:01")).startsWith("10.61.0.1");
        assertThat(lease("10.62.0.0", "02:62:00:00:00:01")).isEqualTo("NO_SCOPE");

        // logged once, with id, name and reason
        String log = output.getAll();
        assertThat(log).containsOnlyOnce("scope 'broken' (" + BROKEN + ") cannot be loaded");
        assertThat(log).contains("printable ASCII");

        // health: DEGRADED with the scopes that did not load
        JsonNode health = call("GET", "/actuator/health", null, 200).get("components").get("dhcp");
        assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
        JsonNode unloadable = health.get("details").get("unloadableScopes");
        assertThat(unloadable).hasSize(2);
        assertThat(unloadable.findValuesAsText("name")).containsExactlyInAnyOrder("broken", "doomed");
        assertThat(unloadable.findValuesAsText("id")).contains(BROKEN.toString());
        assertThat(unloadable.findValuesAsText("reason")).anySatisfy(r -> assertThat(r).contains("printable ASCII"));

        // the API lists them with their load error, and shows one on its own
        JsonNode list = call("GET", "/api/v1/scopes", null, 200);
        assertThat(list.get("total").asInt()).isEqualTo(3);
        assertThat(byId(list, GOOD).has("loadError")).isFalse();
        assertThat(byId(list, BROKEN).get("loadError").asText()).contains("printable ASCII");
        assertThat(call("GET", "/api/v1/scopes/" + BROKEN, null, 200).get("loadError").asText()).contains("printable ASCII");

        // PUT fixes it: it loads and serves at once
        String fixed = """
                {"name": "broken", "network": "10.62.0.0/24", "gateway": "10.62.0.1", "vlan": 0,
                 "pools": [{"start": "10.62.0.100", "end": "10.62.0.199"}], "leaseTime": 3600,
                 "options": {"bootFile": "pxelinux.0"}}""";
        JsonNode put = call("PUT", "/api/v1/scopes/" + BROKEN, fixed, 200);
        assertThat(put.has("loadError")).isFalse();
        assertThat(lease("10.62.0.0", "02:62:00:00:00:01")).startsWith("10.62.0.1");

        // DELETE removes the other
        call("DELETE", "/api/v1/scopes/" + DOOMED, null, 204);
        call("GET", "/api/v1/scopes/" + DOOMED, null, 404);
        assertThat(call("GET", "/api/v1/scopes", null, 200).get("total").asInt()).isEqualTo(2);
        JsonNode healthy = call("GET", "/actuator/health", null, 200).get("components").get("dhcp");
        assertThat(healthy.get("status").asText()).isEqualTo("UP");
        assertThat(healthy.get("details").has("unloadableScopes")).isFalse();
    }
}
