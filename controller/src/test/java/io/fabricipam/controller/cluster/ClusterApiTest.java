package io.fabricipam.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = ClusterController.class, excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = "io\\.fabricipam\\.api\\.(security|audit)\\..*"))
@AutoConfigureMockMvc(addFilters = false)
@Import(ClusterApiTest.SingleHost.class)
class ClusterApiTest {

    static final Instant T0 = Instant.parse("2026-12-06T22:00:00Z");

    @TestConfiguration(proxyBeanMethods = false)
    static class SingleHost {
        @Bean
        ClusterStatus clusterStatus() {
            return new SingleHostCluster("host-a", Clock.fixed(T0, ZoneOffset.UTC));
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void aSingleHostLeadsItselfAtEpochZero() throws Exception {
        mvc.perform(get("/api/v1/cluster")).andExpect(status().isOk())
                .andExpect(jsonPath("$.mode").value("single-host"))
                .andExpect(jsonPath("$.self").value("host-a"))
                .andExpect(jsonPath("$.role").value("leader"))
                .andExpect(jsonPath("$.leader.hostId").value("host-a"))
                .andExpect(jsonPath("$.leader.epoch").value(0))
                .andExpect(jsonPath("$.hosts.length()").value(1))
                .andExpect(jsonPath("$.hosts[0].state").value("up"))
                .andExpect(jsonPath("$.hosts[0].lastHeartbeat").value("2026-12-06T22:00:00Z"));
    }

    @Test
    void theHostIdDefaultsToTheHostname() {
        assertThat(new SingleHostCluster(null, Clock.systemUTC()).view().self()).isEqualTo(SingleHostCluster.localHostName())
                .isNotBlank();
    }

    @Test
    void healthShowsTheRoleAndIsDownWhenThisHostCannotTellWhoLeads() {
        Health leader = new ClusterHealthIndicator(new SingleHostCluster("host-a", Clock.systemUTC())).health();
        assertThat(leader.getStatus()).isEqualTo(Status.UP);
        assertThat(leader.getDetails()).containsEntry("role", "leader").containsEntry("leader", "host-a")
                .containsEntry("epoch", 0L).containsEntry("hostsUp", 1L);

        ClusterView cut = new ClusterView(ClusterView.CLUSTER, "host-b", ClusterView.NONE, null, List.of(
                new ClusterView.Host("host-b", "192.0.2.11", ClusterView.Host.UP, null, T0, null)));
        Health none = new ClusterHealthIndicator(() -> cut).health();
        assertThat(none.getStatus()).isEqualTo(Status.DOWN);
        assertThat(none.getDetails()).containsEntry("role", "none").doesNotContainKey("leader");
    }
}
