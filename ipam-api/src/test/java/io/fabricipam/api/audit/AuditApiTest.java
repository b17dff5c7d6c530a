package io.fabricipam.api.audit;

import static io.fabricipam.apitest.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.security.TokenRegistry;
import io.fabricipam.apitest.ApiSecurityTest;
import io.fabricipam.apitest.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/** Every request to /api/** leaves a row: who, what, when; writes also a log line. Never a token. */
@ApiSecurityTest
class AuditApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    MockMvc mvc;
    @Autowired
    AuditWriter writer;
    @Autowired
    DataSource dataSource;

    private String readerName;
    private String reader;
    private String adminName;
    private String admin;
    private final ListAppender<ILoggingEvent> auditLines = new ListAppender<>();
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger(AuditFilter.LOGGER);

    @BeforeEach
    void tokens() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        readerName = "audit-reader-" + id;
        adminName = "audit-admin-" + id;
        reader = TestTokens.createNamed(mvc, readerName, "reader");
        admin = TestTokens.createNamed(mvc, adminName, "admin");
        auditLines.start();
        auditLogger.addAppender(auditLines);
    }

    @AfterEach
    void detach() {
        auditLogger.detachAppender(auditLines);
    }

    private JsonNode audit(String query) throws Exception {
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
        return JSON.readTree(mvc.perform(bearer(get("/api/v1/audit" + query), ApiSecurityTest.ADMIN_TOKEN))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    @Test
    void readsAndWritesAreRecordedWithWhoWhatAndWhen() throws Exception {
        mvc.perform(bearer(get("/api/v1/probes/p1").queryParam("view", "full"), reader)).andExpect(status().isOk());
        mvc.perform(bearer(post("/api/v1/probes/p2"), admin)).andExpect(status().isCreated());
        mvc.perform(bearer(delete("/api/v1/probes/p2"), admin)).andExpect(status().isNoContent());
        mvc.perform(bearer(post("/api/v1/probes/p3"), reader)).andExpect(status().isForbidden());

        JsonNode readerRows = audit("?principal=" + readerName);
        assertThat(readerRows).hasSize(2);
        JsonNode refused = readerRows.get(0); // newest first
        assertThat(refused.get("method").asText()).isEqualTo("POST");
        assertThat(refused.get("path").asText()).isEqualTo("/api/v1/probes/p3");
        assertThat(refused.get("status").asInt()).isEqualTo(403);
        assertThat(refused.get("role").asText()).isEqualTo("reader");
        assertThat(refused.has("summary")).isFalse();
        JsonNode read = readerRows.get(1);
        assertThat(read.get("principal").asText()).isEqualTo(readerName);
        assertThat(read.get("method").asText()).isEqualTo("GET");
        assertThat(read.get("path").asText()).isEqualTo("/api/v1/probes/p1?view=full");
        assertThat(read.get("status").asInt()).isEqualTo(200);
        assertThat(read.get("remoteAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(read.get("occurredAt").asText()).isNotEmpty();
        assertThat(read.get("id").asLong()).isLessThan(refused.get("id").asLong());

        JsonNode adminRows = audit("?principal=" + adminName);
        assertThat(adminRows).hasSize(2);
        assertThat(adminRows.get(0).get("method").asText()).isEqualTo("DELETE");
        assertThat(adminRows.get(0).get("status").asInt()).isEqualTo(204);
        assertThat(adminRows.get(0).get("summary").asText()).isEqualTo("deleted probe p2; and its history");
        assertThat(adminRows.get(1).get("summary").asText()).isEqualTo("created probe p2");
        assertThat(adminRows.get(1).get("role").asText()).isEqualTo("admin");
    }

    @Test
    void theDurationIsHowLongTheRequestTookInMilliseconds() throws Exception {
        long slept = 150;
        mvc.perform(bearer(get("/api/v1/probes/slow/slow").queryParam("millis", "" + slept), reader))
                .andExpect(status().isOk());

        JsonNode row = audit("?principal=" + readerName).get(0);
        assertThat(row.get("path").asText()).isEqualTo("/api/v1/probes/slow/slow?millis=" + slept);
        // at least the time the handler slept; milliseconds, not micro- or nanoseconds (a minute is plenty)
        assertThat(row.get("durationMillis").asLong()).isBetween(slept, 60_000L);
    }

    @Test
    void refusedAnonymousRequestsAreRecordedToo() throws Exception {
        String path = "/api/v1/probes/anon-" + UUID.randomUUID();
        mvc.perform(post(path)).andExpect(status().isUnauthorized());

        JsonNode rows = audit("?principal=anonymous&method=post&limit=1000");
        List<String> paths = new ArrayList<>();
        rows.forEach(row -> {
            paths.add(row.get("path").asText());
            assertThat(row.has("role")).isFalse();
        });
        assertThat(paths).contains(path);
    }

    @Test
    void tokenManagementIsAuditedWithTheNameButNeverTheValue() throws Exception {
        JsonNode rows = audit("?principal=" + TokenRegistry.BOOTSTRAP_ADMIN + "&method=POST&limit=1000");
        List<String> summaries = new ArrayList<>();
        rows.forEach(row -> summaries.add(row.path("summary").asText()));
        assertThat(summaries).contains("created reader token " + readerName, "created admin token " + adminName);
    }

    @Test
    void noRowAndNoLineHoldsAToken() throws Exception {
        String wrong = "fip_" + "A".repeat(43);
        mvc.perform(bearer(get("/api/v1/probes/p1"), reader)).andExpect(status().isOk());
        mvc.perform(bearer(post("/api/v1/probes/p1"), admin)).andExpect(status().isCreated());
        mvc.perform(bearer(get("/api/v1/probes/p1"), wrong)).andExpect(status().isUnauthorized());
        // Tokens where they do not belong: in the query and in the path.
        mvc.perform(get("/api/v1/probes/p1").queryParam("access_token", admin).queryParam("x", "1"))
                .andExpect(status().isUnauthorized());
        mvc.perform(bearer(get("/api/v1/probes/" + reader), reader)).andExpect(status().isOk());
        mvc.perform(bearer(post("/api/v1/probes/" + admin), admin)).andExpect(status().isCreated());
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();

        List<String> rows = new JdbcTemplate(dataSource).query("SELECT * FROM audit_event", (rs, n) -> {
            StringBuilder row = new StringBuilder();
            for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                row.append(rs.getString(c)).append('|');
            }
            return row.toString();
        });
        assertThat(rows).hasSizeGreaterThan(6);
        for (String token : List.of(reader, admin, wrong, ApiSecurityTest.ADMIN_TOKEN)) {
            assertThat(rows).noneMatch(row -> row.contains(token));
            assertThat(auditLines.list).noneMatch(e -> e.getFormattedMessage().contains(token));
        }
        assertThat(rows).anyMatch(row -> row.contains("/api/v1/probes/p1?access_token=" + AuditFilter.MASK + "&x=1|"));
        assertThat(rows).anyMatch(row -> row.contains("|/api/v1/probes/" + AuditFilter.MASK + "|"));
    }

    @Test
    void writesAreLoggedOnOneLineAndReadsAreNot() throws Exception {
        mvc.perform(bearer(get("/api/v1/probes/quiet"), reader)).andExpect(status().isOk());
        mvc.perform(bearer(post("/api/v1/probes/loud"), admin)).andExpect(status().isCreated());

        assertThat(auditLines.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage())
                    .startsWith("POST /api/v1/probes/loud 201 by " + adminName + " (admin) from 127.0.0.1 in ")
                    .endsWith(" ms: created probe loud")
                    .doesNotContain("\n");
        });
    }

    @Test
    void theListFiltersAndLimits() throws Exception {
        for (int i = 0; i < 3; i++) {
            mvc.perform(bearer(get("/api/v1/probes/n" + i), reader)).andExpect(status().isOk());
        }
        mvc.perform(bearer(post("/api/v1/probes/w"), reader)).andExpect(status().isForbidden());

        JsonNode two = audit("?principal=" + readerName + "&limit=2");
        assertThat(two).hasSize(2);
        assertThat(two.get(0).get("method").asText()).isEqualTo("POST");
        assertThat(two.get(1).get("path").asText()).isEqualTo("/api/v1/probes/n2");
        assertThat(audit("?principal=" + readerName + "&method=GET")).hasSize(3);
        assertThat(audit("?principal=" + readerName + "&since=1h")).hasSize(4);
        assertThat(audit("?principal=" + readerName + "&since=2100-01-01T00:00:00Z")).isEmpty();
    }

    @Test
    void badQueryParametersAreValidationProblems() throws Exception {
        mvc.perform(bearer(get("/api/v1/audit?since=yesterday&limit=0&method=G%20T"), ApiSecurityTest.ADMIN_TOKEN))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.type").value(ProblemType.VALIDATION_FAILED.uri().toString()))
                .andExpect(jsonPath("$.instance").value("/api/v1/audit"))
                .andExpect(jsonPath("$.errors[0].field").value("method"))
                .andExpect(jsonPath("$.errors[1].field").value("since"))
                .andExpect(jsonPath("$.errors[2].field").value("limit"));
        mvc.perform(bearer(get("/api/v1/audit?limit=1001"), ApiSecurityTest.ADMIN_TOKEN))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].field").value("limit"));
    }
}
