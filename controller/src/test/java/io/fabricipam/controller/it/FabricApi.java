package io.fabricipam.controller.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The service's REST API as an operator's client uses it: a bearer token, JSON in and out, and the status
 * checked on every call (a failed call fails the test with the RFC 9457 problem the service returned).
 */
final class FabricApi {

    private final int port;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    FabricApi(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** GET, expecting 200. */
    JsonNode get(String path) {
        return expect(send("GET", path, null), 200);
    }

    /** POST of a JSON body, expecting 201 Created. */
    JsonNode post(String path, String body) {
        return expect(send("POST", path, body), 201);
    }

    /** The one lease {@code mac} holds (fails the test when it holds none or several). */
    JsonNode onlyLease(String mac) {
        JsonNode items = get("/api/v1/leases?mac=" + mac).get("items");
        if (items.size() != 1) {
            throw new AssertionError("expected one lease of " + mac + ", got " + items);
        }
        return items.get(0);
    }

    JsonNode patch(String path, String body) {
        return expect(send("PATCH", path, body), 200);
    }

    HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new AssertionError(r.request().method() + " " + r.uri().getPath() + ": expected " + status + ", got "
                    + r.statusCode() + ": " + r.body());
        }
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** The Prometheus text at /actuator/prometheus. */
    String prometheus() {
        HttpResponse<String> r = send("GET", "/actuator/prometheus", null);
        if (r.statusCode() != 200) {
            throw new AssertionError("/actuator/prometheus: " + r.statusCode());
        }
        return r.body();
    }

    /** The sum of the samples of a Prometheus metric whose labels contain {@code label} (all when null). */
    double metric(String name, String label) {
        return PrometheusText.sum(prometheus(), name, label);
    }
}
