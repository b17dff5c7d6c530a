package io.fabricipam.api.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.ApiSliceTest;
import io.fabricipam.api.CoreBeans;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.store.ScopeStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole API over real HTTP on the JDBC stores and an H2 file database: many concurrent requests for
 * the next free address never get the same one (NetBox's available-ips shipped exactly this race), and
 * racing requests for one given address let exactly one win.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(CoreBeans.class)
class ParallelReservationsTest {

    static final String TOKEN = "fip_parallel-test-admin-token";
    static final Path DIR = Path.of("target", "parallel-reservations-" + UUID.randomUUID()).toAbsolutePath();
    static final String URL = "jdbc:h2:file:" + DIR.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("fabric.api.admin-token", () -> TOKEN);
        registry.add("fabric.data-dir", DIR::toString);
    }

    @LocalServerPort
    int port;
    @Autowired
    ScopeStore scopes;
    @Autowired
    ObjectMapper json;

    final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void closeDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(URL, "sa", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    List<HttpResponse<String>> concurrently(List<String> bodies, String path) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try {
            for (String body : bodies) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return post(path, body);
                }));
            }
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                responses.add(f.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void parallelNextFreeReservationsNeverShareAnAddress() throws Exception {
        Files.createDirectories(DIR);
        HttpResponse<String> created = post("/api/v1/scopes", ApiSliceTest.LAB.replace("10.20.0.199", "10.20.0.249"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        UUID scope = UUID.fromString(json.readTree(created.body()).get("id").asText());

        // 300 MACs race for 150 addresses
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            bodies.add(String.format("{\"mac\": \"02:00:00:00:%02x:%02x\"}", i >>> 8, i & 0xff));
        }
        Collections.shuffle(bodies);
        List<HttpResponse<String>> responses = concurrently(bodies, "/api/v1/scopes/" + scope + "/reservations");
        Set<String> addresses = new HashSet<>();
        int exhausted = 0;
        for (HttpResponse<String> r : responses) {
            JsonNode body = json.readTree(r.body());
            if (r.statusCode() == 201) {
                assertThat(addresses.add(body.get("ip").asText())).as("%s handed out twice", body.get("ip")).isTrue();
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
                assertThat(body.get("type").asText()).isEqualTo(ProblemType.POOL_EXHAUSTED.uri().toString());
                exhausted++;
            }
        }
        assertThat(addresses).hasSize(150);
        assertThat(exhausted).isEqualTo(150);
        // what the database holds agrees: 150 reservations, 150 distinct addresses
        List<Reservation> stored = scopes.reservations(scope);
        assertThat(stored).hasSize(150);
        assertThat(stored.stream().map(r -> r.address().toString()).distinct()).hasSize(150)
                .containsExactlyInAnyOrderElementsOf(addresses);
    }

    @Test
    void racingForOneGivenAddressExactlyOneWins() throws Exception {
        Files.createDirectories(DIR);
        HttpResponse<String> created = post("/api/v1/scopes", ApiSliceTest.LAB.replace("\"lab\"", "\"race\"")
                .replace("10.20.0", "10.21.0"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String scope = json.readTree(created.body()).get("id").asText();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            bodies.add(String.format("{\"mac\": \"02:00:00:00:01:%02x\", \"ip\": \"10.21.0.10\"}", i));
        }
        List<HttpResponse<String>> responses = concurrently(bodies, "/api/v1/scopes/" + scope + "/reservations");
        assertThat(responses.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
        assertThat(responses.stream().filter(r -> r.statusCode() == 409 && r.body().contains("address-in-use"))).hasSize(49);
    }
}
