package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a hostile tester sent to the packaged service, and what it must answer now: every 4xx as
 * problem+json naming the field, nothing half-saved, health details only with a token, and a service
 * that starts again on the same data afterwards (before, one bad boot file name kept it from starting).
 */
class HostileInputIT {

    static final String TOKEN = "fip_ap-hostile-" + UUID.randomUUID();
    static final String PROBLEMS = "https://fabric-ipam.io/problems/";

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    FabricProcess fabric;

    @AfterEach
    void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fabric.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A problem of {@code slug} with {@code status}, naming {@code field} when given; returns it. */
    JsonNode problem(HttpResponse<String> response, int status, String slug, String field) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode p = json.readTree(response.body());
        assertThat(p.get("type").asText()).isEqualTo(PROBLEMS + slug);
        assertThat(p.get("detail").asText()).doesNotContain("java.").doesNotContain("com.fasterxml")
                .doesNotContain("org.springframework").doesNotContain("Exception");
        if (field != null) {
            assertThat(p.get("errors").findValuesAsText("field")).contains(field);
        }
        return p;
    }

    @Test
    void hostileInputGetsProblemsAndTheServiceStillStarts() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "it-labs", "ap-hostile-" + UUID.randomUUID()).toAbsolutePath());
        fabric = new FabricProcess(dir.resolve("data"), dir.resolve("fabric.log"), List.of("--fabric.api.admin-token=" + TOKEN)).start();

        // 1. text the DHCP encoder refuses: 422 before anything is saved
        for (String[] c : new String[][] {{"bootFile", "pxelinux-\\u00e9.0"}, {"bootFile", "pxe\\u0000linux.0"},
            {"tftpServer", "tftp\\u0007"}, {"domainName", "b\\u00fccher.example"}}) {
            problem(call("POST", "/api/v1/scopes", "{\"name\": \"pxe\", \"network\": \"10.9.0.0/24\", \"options\": {\"" + c[0]
                    + "\": \"" + c[1] + "\"}}"), 422, "validation-failed", "options." + c[0]);
        }
        assertThat(json.readTree(call("GET", "/api/v1/scopes", null).body()).get("total").asInt()).isZero();
        HttpResponse<String> pxe = call("POST", "/api/v1/scopes", "{\"name\": \"pxe\", \"network\": \"10.9.0.0/24\","
                + " \"pools\": [{\"start\": \"10.9.0.100\", \"end\": \"10.9.0.199\"}], \"options\": {\"bootFile\": \"pxelinux.0\"}}");
        assertThat(pxe.statusCode()).as(pxe.body()).isEqualTo(201);
        String id = json.readTree(pxe.body()).get("id").asText();

        // 2. types are strict, in every body
        problem(call("POST", "/api/v1/scopes", "{\"name\": \"lt\", \"network\": \"10.8.0.0/24\", \"leaseTime\": \"3600\"}"),
                422, "validation-failed", "leaseTime");
        problem(call("POST", "/api/v1/scopes", "{\"name\": \"lt\", \"network\": \"10.8.0.0/24\", \"leaseTime\": 3600.7}"),
                422, "validation-failed", "leaseTime");
        problem(call("POST", "/api/v1/storage/targets", "{\"name\": \"t1\", \"portal\": 3260}"), 422, "validation-failed", "portal");
        problem(call("POST", "/api/v1/storage/targets", "{\"name\": \"t1\", \"portal\": \"127.0.0.1:3260\", \"admin\": \"abc\"}"),
                422, "validation-failed", "admin");
        problem(call("POST", "/api/v1/storage/targets", "{\"name\": \"t1\", \"portal\": \"127.0.0.1:3260\", \"local\": \"true\"}"),
                422, "validation-failed", "local");
        problem(call("POST", "/api/v1/tokens", "{\"name\": 7, \"role\": \"reader\"}"), 422, "validation-failed", "name");
        assertThat(json.readTree(call("GET", "/api/v1/storage/targets", null).body()).get("total").asInt()).isZero();

        // 3. quadratic validation: 500 identical pools, a bounded answer
        ObjectNode many = json.createObjectNode().put("name", "many").put("network", "10.7.0.0/24");
        ArrayNode pools = many.putArray("pools");
        for (int i = 0; i < 500; i++) {
            pools.addObject().put("start", "10.7.0.10").put("end", "10.7.0.20");
        }
        HttpResponse<String> identical = call("POST", "/api/v1/scopes", json.writeValueAsString(many));
        JsonNode p = problem(identical, 422, "validation-failed", "pools[1]");
        assertThat(p.get("errors")).hasSize(50);
        assertThat(p.get("errorsOmitted").asInt()).isEqualTo(449);
        assertThat(identical.body().length()).isLessThan(16_000);
        String twoMebibytes = "{\"name\": \"big\", \"network\": \"10.6.0.0/24\", \"options\": {\"domainName\": \""
                + "a".repeat(2 << 20) + "\"}}";
        problem(call("POST", "/api/v1/scopes", twoMebibytes), 413, "content-too-large", null);

        // 4. ETags: If-Match compares strongly; an empty one is malformed
        String put = "{\"name\": \"pxe\", \"network\": \"10.9.0.0/24\", \"pools\": [{\"start\": \"10.9.0.100\", \"end\": \"10.9.0.199\"}]}";
        problem(call("PUT", "/api/v1/scopes/" + id, put, "If-Match", "W/\"1\""), 412, "version-conflict", null);
        problem(call("PUT", "/api/v1/scopes/" + id, put, "If-Match", ""), 400, "malformed-request", "If-Match");
        assertThat(call("PUT", "/api/v1/scopes/" + id, put, "If-Match", "\"1\"").statusCode()).isEqualTo(200);

        // 5. Tomcat's own 400s are problems too
        for (String request : new String[] {
            "GET /api/v1/scopes/a%2Fb HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /api/v1/scopes/a%00b HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /api/v1/scopes HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
            "GET /api v1 HTTP/1.1\r\nHost: x\r\n\r\n"}) {
            String answer = raw(request);
            assertThat(answer).as(request.substring(0, 30)).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json")
                    .contains(PROBLEMS + "malformed-request").doesNotContain("<html");
        }

        // 6. health: the status for anyone, details with a token; Prometheus stays open
        HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fabric.httpPort()
                + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(json.readTree(open.body()).properties()).extracting(java.util.Map.Entry::getKey).containsExactly("status");
        assertThat(json.readTree(call("GET", "/actuator/health", null).body()).get("components").get("dhcp")).isNotNull();
        HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fabric.httpPort()
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("fabric_dhcp");

        // 7. the same data starts again, with the one good scope
        fabric.stop();
        fabric.start();
        JsonNode scopes = json.readTree(call("GET", "/api/v1/scopes", null).body());
        assertThat(scopes.get("total").asInt()).isEqualTo(1);
        assertThat(scopes.get("items").get(0).get("options").get("bootFile")).isNull();
        assertThat(scopes.get("items").get(0).get("version").asInt()).isEqualTo(2);
    }

    /** One raw request, the answer as text (until the server closes or 10 s pass). */
    String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", fabric.httpPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    got.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException done) {
                // what arrived is the answer
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }
}
