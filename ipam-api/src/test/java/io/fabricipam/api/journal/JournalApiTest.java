package io.fabricipam.api.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.fabricipam.api.audit.AuditContext;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.dhcp.journal.FileLeaseJournal;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.testing.RecordingLeaseStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * {@code /api/v1/journal} over a real file journal whose store refuses one address (as a constraint
 * would), until the test fixes the cause. Security and audit storage have their own tests; here the audit
 * summary each write leaves is checked.
 */
@WebMvcTest(controllers = JournalController.class, excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = "io\\.fabricipam\\.api\\.(security|audit)\\..*"))
@AutoConfigureMockMvc(addFilters = false)
@Import(JournalApiTest.RealJournal.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class JournalApiTest {

    static final UUID SCOPE = UUID.fromString("a9000000-0000-4000-8000-0000000000a1");
    static final Ipv4Address REFUSED = Ipv4Address.parse("10.20.0.7");

    /** A started file journal in a directory of its own, over a store that refuses {@link #REFUSED}. */
    @TestConfiguration(proxyBeanMethods = false)
    static class RealJournal {

        @Bean
        RecordingLeaseStore store() {
            RecordingLeaseStore store = new RecordingLeaseStore();
            store.refuse(c -> c.address().equals(REFUSED));
            return store;
        }

        /** A directory of its own, removed after the journal is closed (which depends on it). */
        record JournalDirectory(Path path) implements AutoCloseable {
            @Override
            public void close() throws IOException {
                deleteTree(path);
            }
        }

        @Bean
        JournalDirectory journalDirectory() throws IOException {
            return new JournalDirectory(Files.createTempDirectory("jn-journal-api-"));
        }

        @Bean(destroyMethod = "close")
        FileLeaseJournal journal(RecordingLeaseStore store, JournalDirectory dir) {
            FileLeaseJournal journal = new FileLeaseJournal(store, FileLeaseJournal.Settings.in(dir.path().resolve("journal")));
            journal.start();
            return journal;
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    FileLeaseJournal journal;
    @Autowired
    RecordingLeaseStore store;

    static LeaseChange bound(String address, int client) {
        MacAddress mac = new MacAddress(0x020000000000L + client);
        Lease lease = new Lease(SCOPE, Ipv4Address.parse(address), ClientKey.ofHardware(mac), mac, null, LeaseState.BOUND,
                Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), "test");
        return new LeaseChange(null, lease, LeaseEvent.of(LeaseEventType.BOUND, lease, Instant.EPOCH, null), true);
    }

    void acknowledge(LeaseChange... changes) throws Exception {
        for (LeaseChange c : changes) {
            journal.append(List.of(c)).get(10, TimeUnit.SECONDS);
        }
        assertThat(journal.awaitStored(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void theJournalShowsItsProgressAndWhatTheDatabaseRefused() throws Exception {
        acknowledge(bound("10.20.0.6", 6), bound("10.20.0.7", 7), bound("10.20.0.8", 8));

        mvc.perform(get("/api/v1/journal")).andExpect(status().isOk())
                .andExpect(jsonPath("$.mechanism").value("file"))
                .andExpect(jsonPath("$.written").value(3))
                .andExpect(jsonPath("$.position").value(3))
                .andExpect(jsonPath("$.backlog").value(0))
                .andExpect(jsonPath("$.storeBacklog").value(0))
                .andExpect(jsonPath("$.segments").value(1))
                .andExpect(jsonPath("$.unstored").value(1))
                .andExpect(jsonPath("$.dropped").value(0));
        mvc.perform(get("/api/v1/journal/unstored")).andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].sequence").value(2))
                .andExpect(jsonPath("$[0].scopeId").value(SCOPE.toString()))
                .andExpect(jsonPath("$[0].ip").value("10.20.0.7"))
                .andExpect(jsonPath("$[0].mac").value("02:00:00:00:00:07"))
                .andExpect(jsonPath("$[0].state").value("bound"))
                .andExpect(jsonPath("$[0].eventType").value("bound"))
                .andExpect(jsonPath("$[0].error").value("check constraint violated by 10.20.0.7"))
                .andExpect(jsonPath("$[0].since").isNotEmpty());
    }

    @Test
    void aRetryAnswersWhatWasStoredAndWhatStillFailsAndIsAudited() throws Exception {
        acknowledge(bound("10.20.0.7", 7));

        MvcResult stillRefused = mvc.perform(post("/api/v1/journal/unstored/retry")).andExpect(status().isOk())
                .andExpect(jsonPath("$.stored.length()").value(0))
                .andExpect(jsonPath("$.dropped.length()").value(0))
                .andExpect(jsonPath("$.failing[0].ip").value("10.20.0.7"))
                .andExpect(jsonPath("$.failing[0].error").value("check constraint violated by 10.20.0.7")).andReturn();
        assertThat(AuditContext.summary(stillRefused.getRequest()))
                .hasValue("retried unstored lease changes: 0 stored, 0 dropped (scope deleted), 1 still refused");

        store.refuse(null); // the cause is fixed
        MvcResult fixed = mvc.perform(post("/api/v1/journal/unstored/retry")).andExpect(status().isOk())
                .andExpect(jsonPath("$.stored[0].sequence").value(1))
                .andExpect(jsonPath("$.failing.length()").value(0)).andReturn();
        assertThat(AuditContext.summary(fixed.getRequest())).get().asString()
                .startsWith("retried unstored lease changes: 1 stored [#1 (bound 10.20.0.7 02:00:00:00:00:07 in scope");
        mvc.perform(get("/api/v1/journal/unstored")).andExpect(jsonPath("$.length()").value(0));
        assertThat(store.leases(SCOPE)).extracting(Lease::address).containsExactly(REFUSED);
    }

    @Test
    void anOperatorDiscardsOneChangeExplicitly() throws Exception {
        acknowledge(bound("10.20.0.7", 7), bound("10.20.0.7", 17));

        MvcResult discarded = mvc.perform(delete("/api/v1/journal/unstored/1")).andExpect(status().isOk())
                .andExpect(jsonPath("$.sequence").value(1))
                .andExpect(jsonPath("$.mac").value("02:00:00:00:00:07")).andReturn();
        assertThat(AuditContext.summary(discarded.getRequest())).get().asString()
                .startsWith("discarded unstored lease change #1 (bound 10.20.0.7 02:00:00:00:00:07 in scope " + SCOPE)
                .endsWith("database error was: check constraint violated by 10.20.0.7");
        mvc.perform(get("/api/v1/journal/unstored")).andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].sequence").value(2))
                .andExpect(jsonPath("$[0].error").value(org.hamcrest.Matchers.startsWith("waits for unstored change #1")));

        expectProblem(mvc.perform(delete("/api/v1/journal/unstored/1")).andReturn(), ProblemType.NOT_FOUND, null);
        expectProblem(mvc.perform(delete("/api/v1/journal/unstored/one")).andReturn(), ProblemType.MALFORMED_REQUEST,
                "sequence");
    }

    private static void expectProblem(MvcResult result, ProblemType type, String field) throws Exception {
        assertThat(result.getResponse().getStatus()).isEqualTo(type.status().value());
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
        String body = result.getResponse().getContentAsString();
        assertThat(body).contains("\"type\":\"" + type.uri() + "\"");
        if (field != null) {
            assertThat(body).contains("\"field\":\"" + field + "\"");
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
