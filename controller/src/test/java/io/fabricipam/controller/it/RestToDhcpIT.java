package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application in-process with its UDP front end in a lab namespace: a scope and a reservation created
 * over REST serve real udhcpc clients at once, and their leases show up under /api/v1/leases with history.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RestToDhcpIT {

    static final String TOKEN = "fip_rest-to-dhcp-" + UUID.randomUUID();
    static NetworkLab lab;
    static DhcpClients clients;

    @BeforeAll
    static void network() {
        lab = new NetworkLab("fr3");
        clients = new DhcpClients(lab);
        String srv = lab.namespace("srv");
        lab.bridge(srv, "br0", "10.78.0.2/24");
    }

    @AfterAll
    static void clean() {
        lab.close();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Path data = lab.dir().resolve("data");
        registry.add("fabric.data-dir", data::toString);
        registry.add("fabric.dhcp.udp.interfaces", () -> "br0");
        registry.add("fabric.dhcp.udp.network-namespace", () -> "fr3-srv");
        registry.add("fabric.api.admin-token", () -> TOKEN);
        registry.add("fabric.openflow.port", () -> "0");
        registry.add("fabric.storage.redirector.listen", () -> "127.0.0.1:0");
    }

    @LocalServerPort
    int port;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return json.readTree(r.body());
    }

    @Test
    void aScopeCreatedOverRestServesRealClientsAndTheirLeasesShowUp() throws Exception {
        String scope = """
                {"name": "rest", "network": "10.78.0.0/24", "gateway": "10.78.0.1", "vlan": 0,
                 "pools": [{"start": "10.78.0.100", "end": "10.78.0.150"}], "leaseTime": 600,
                 "options": {"dnsServers": ["10.78.0.53"], "domainName": "rest.example"}}""";
        assertThat(call("POST", "/api/v1/scopes", scope, null).statusCode()).as("anonymous write").isEqualTo(401);
        String id = ok(call("POST", "/api/v1/scopes", scope, TOKEN), 201).get("id").asText();
        String reserved = ok(call("POST", "/api/v1/scopes/" + id + "/reservations",
                "{\"mac\": \"02:78:00:00:00:02\", \"hostname\": \"vm-two\"}", TOKEN), 201).get("ip").asText();

        String if1 = lab.client("c1", "fr3-srv", "br0", "02:78:00:00:00:01");
        String if2 = lab.client("c2", "fr3-srv", "br0", "02:78:00:00:00:02");
        assertThat(clients.udhcpc("fr3-c1", if1, false)).isZero();
        assertThat(clients.udhcpc("fr3-c2", if2, false)).isZero();
        String a1 = lab.address("fr3-c1", if1);
        assertThat(a1).startsWith("10.78.0.1");
        assertThat(lab.address("fr3-c2", if2)).isEqualTo(reserved);

        JsonNode leases = ok(call("GET", "/api/v1/leases?scope=" + id, null, TOKEN), 200);
        assertThat(leases.get("total").asInt()).isEqualTo(2);
        JsonNode one = ok(call("GET", "/api/v1/leases/" + a1, null, TOKEN), 200);
        assertThat(one.get("mac").asText()).isEqualTo("02:78:00:00:00:01");
        assertThat(one.get("state").asText()).isEqualTo("bound");
        assertThat(one.get("seenOn").asText()).isEqualTo("udp:br0");
        assertThat(one.get("history").get(0).get("type").asText()).isEqualTo("bound");
        JsonNode two = ok(call("GET", "/api/v1/leases/" + reserved, null, TOKEN), 200);
        assertThat(two.get("mac").asText()).isEqualTo("02:78:00:00:00:02");

        // a force-release through the API is in the history, and the client gets an address again
        ok(call("DELETE", "/api/v1/leases/" + a1, null, TOKEN), 200);
        assertThat(ok(call("GET", "/api/v1/leases/" + a1 + "/history", null, TOKEN), 200).get(0).get("type").asText())
                .isEqualTo("force_released");
        assertThat(clients.udhcpc("fr3-c1", if1, false)).isZero();
        assertThat(ok(call("GET", "/api/v1/leases?mac=02:78:00:00:00:01", null, TOKEN), 200).get("items").get(0)
                .get("state").asText()).isEqualTo("bound");

        JsonNode utilization = ok(call("GET", "/api/v1/scopes/" + id + "/utilization", null, TOKEN), 200);
        assertThat(utilization.get("scope").get("bound").asInt()).isEqualTo(2);
    }
}
