package io.fabricipam.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class LeaderWritesTest {

    static final Instant T0 = Instant.parse("2026-12-06T22:00:00Z");
    final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

    static ClusterView follower(String leaderId, String leaderUrl) {
        return new ClusterView(ClusterView.CLUSTER, "host-b", ClusterView.FOLLOWER,
                leaderId == null ? null : new ClusterView.Leader(leaderId, 4, T0), List.of(
                        new ClusterView.Host("host-a", "192.0.2.10", ClusterView.Host.UP, null, T0, leaderUrl),
                        new ClusterView.Host("host-b", "192.0.2.11", ClusterView.Host.UP, null, T0, "http://192.0.2.11:8080")));
    }

    MockHttpServletResponse call(ClusterView view, String method, String uri, String query) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setQueryString(query);
        MockHttpServletResponse response = new MockHttpServletResponse();
        boolean proceed = new LeaderWrites(() -> view, json).preHandle(request, response, new Object());
        if (proceed) {
            response.setStatus(299); // marks "handled by the controller" for the assertions
        }
        return response;
    }

    @Test
    void theLeaderAndASingleHostTakeWrites() throws Exception {
        ClusterView single = new SingleHostCluster("host-a", Clock.systemUTC()).view();
        assertThat(call(single, "POST", "/api/v1/scopes", null).getStatus()).isEqualTo(299);
        assertThat(call(single, "DELETE", "/api/v1/leases/10.0.0.5", "scope=lab").getStatus()).isEqualTo(299);
    }

    @Test
    void aFollowerAnswersReadsAndSendsWritesToTheLeader() throws Exception {
        ClusterView view = follower("host-a", "http://192.0.2.10:8080/");
        assertThat(call(view, "GET", "/api/v1/scopes", null).getStatus()).isEqualTo(299);

        MockHttpServletResponse r = call(view, "PUT", "/api/v1/scopes/4f1c/reservations/02:00:00:00:00:01", "x=1");

        assertThat(r.getStatus()).isEqualTo(307);
        assertThat(r.getHeader("Location")).isEqualTo("http://192.0.2.10:8080/api/v1/scopes/4f1c/reservations/02:00:00:00:00:01?x=1");
        assertThat(r.getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = json.readTree(r.getContentAsByteArray());
        assertThat(problem.get("type").asText()).isEqualTo("https://fabric-ipam.io/problems/not-leader");
        assertThat(problem.get("status").asInt()).isEqualTo(307);
        assertThat(problem.get("leader").asText()).isEqualTo("host-a");
        assertThat(problem.get("leaderUrl").asText()).isEqualTo("http://192.0.2.10:8080");
        assertThat(problem.get("detail").asText()).contains("host-b").contains("host-a");
    }

    @Test
    void withoutAReachableLeaderAWriteIsRefusedForAWhile() throws Exception {
        for (ClusterView view : List.of(follower(null, null), follower("host-a", null),
                new ClusterView(ClusterView.CLUSTER, "host-b", ClusterView.NONE, null, List.of()))) {
            MockHttpServletResponse r = call(view, "POST", "/api/v1/journal/unstored/retry", null);
            assertThat(r.getStatus()).isEqualTo(503);
            assertThat(r.getHeader("Retry-After")).isEqualTo("2");
            assertThat(json.readTree(r.getContentAsByteArray()).get("type").asText()).endsWith("/no-leader");
        }
    }
}
