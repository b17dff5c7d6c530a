package io.fabricipam.controller.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.fabric.storage.StorageFabric;
import io.fabricipam.fabric.storage.target.TargetRules;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The storage endpoints through Spring MVC with the API's problem advice and a real, started storage fabric
 * (redirector on a free loopback port; targets point at closed ports, so they stay unavailable). What a hostile
 * client sends must come back as a 422 problem naming the field, and must leave nothing registered.
 */
@WebMvcTest(controllers = StorageController.class, excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = "io\\.fabricipam\\.api\\.(security|audit)\\..*"))
@AutoConfigureMockMvc(addFilters = false)
@Import(StorageApiTest.Fabric.class)
class StorageApiTest {

    private static final String TARGETS = "/api/v1/storage/targets";
    private static final String DISKS = "/api/v1/storage/disks/xml";
    /** A 1 MB string, as the hostile tester sent it. */
    private static final String HUGE = "a".repeat(1 << 20);

    @TestConfiguration(proxyBeanMethods = false)
    static class Fabric {
        @Bean
        StorageLifecycle storageLifecycle() {
            return new StorageLifecycle(new StorageProperties(true, new StorageProperties.Redirector("127.0.0.1:0"),
                    List.of(), new StorageProperties.Probe(Duration.ofSeconds(1), Duration.ofMillis(200)),
                    new StorageProperties.Failback(false, Duration.ofSeconds(10)), false, 100), Clock.systemUTC());
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    StorageLifecycle storage;
    final ObjectMapper json = new ObjectMapper();

    ResultActions post(String path, String body) throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
                .contentType(MediaType.APPLICATION_JSON).content(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** A 422 problem+json whose errors name {@code field}; returns the body. */
    JsonNode expectInvalid(ResultActions result, String field) throws Exception {
        MvcResult r = result.andExpect(status().isUnprocessableEntity())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemType.VALIDATION_FAILED.uri().toString()))
                .andReturn();
        JsonNode body = json.readTree(r.getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(body.get("errors")).as(body.toString()).anySatisfy(e -> {
            assertThat(e.get("field").asText()).isEqualTo(field);
            assertThat(e.get("detail").asText()).isNotBlank();
        });
        assertNoLeaks(r);
        return body;
    }

    /** No Java class names and no 1 MB echo in an error. */
    static void assertNoLeaks(MvcResult r) throws Exception {
        String text = r.getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(text.length()).as("problem size").isLessThan(4096);
        assertThat(text).doesNotContain("java.").doesNotContain("com.fasterxml").doesNotContain("io.fabricipam.")
                .doesNotContain("Exception");
    }

    /** One fabric for the class (its context is cached): each test starts with no target. */
    @AfterEach
    void removeTargets() {
        storage.fabric().targets().forEach(t -> storage.fabric().removeTarget(t.name()));
    }

    int registered() {
        return storage.fabric().targets().size();
    }

    static String target(String name) {
        return "{\"name\": " + quote(name) + ", \"portal\": \"127.0.0.1:1\"}";
    }

    /** {@code s} as a JSON string with everything outside printable ASCII as a \\u escape (lone surrogates too). */
    static String quote(String s) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            json.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : c);
        }
        return json.append('"').toString();
    }

    @Test
    void theReadmeRequestRegistersATargetWithALocation() throws Exception {
        post(TARGETS, "{\"name\": \"local\", \"portal\": \"127.0.0.1:3260\", \"local\": true, \"admin\": 53,"
                + " \"iqns\": [\"iqn.2026-11.example:disk1\"]}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/storage/targets/local"))
                .andExpect(jsonPath("$.name").value("local"))
                .andExpect(jsonPath("$.portal").value("127.0.0.1:3260"))
                .andExpect(jsonPath("$.admin").value(53))
                .andExpect(jsonPath("$.iqns[0]").value("iqn.2026-11.example:disk1"));
        mvc.perform(get(TARGETS + "/local")).andExpect(status().isOk()).andExpect(jsonPath("$.local").value(true));
        post(TARGETS, target("local")).andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(ProblemType.DUPLICATE_NAME.uri().toString()));
    }

    @Test
    void theAdminPortInTheEarlierDocumentedStringFormStillRegisters() throws Exception {
        post(TARGETS, "{\"name\": \"legacy\", \"portal\": \"127.0.0.1:3260\", \"admin\": \"53\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.admin").value(53));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "..", "../etc", "nul\u0000", "two\nlines", "cr\r", " lead", "tab\t", "-dash", "",
            "é", "a b", "%2F"})
    void refusesTargetNamesThatScopeNamesRefuse(String name) throws Exception {
        expectInvalid(post(TARGETS, target(name)), "name");
        assertThat(registered()).isZero();
    }

    @Test
    void refusesAHugeNameWithoutEchoingIt() throws Exception {
        JsonNode body = expectInvalid(post(TARGETS, target(HUGE)), "name");
        assertThat(body.toString()).doesNotContain("a".repeat(200));
        assertThat(registered()).isZero();
        expectInvalid(post(TARGETS, target("a".repeat(64))), "name");
        post(TARGETS, target("a".repeat(63))).andExpect(status().isCreated());
    }

    @Test
    void aNewlineInANameForgesNoLogLineBecauseItIsRefusedFirst() throws Exception {
        expectInvalid(post(TARGETS, target("x\n2026-11-21 10:00:00 INFO audit admin DELETE /api/v1/scopes/lab 204")),
                "name");
        assertThat(registered()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"3260", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:x",
            "a b:3260", "host/x:3260", "::1:3260", "[::1", "[zz::1]:3260", "127.0.0.1:3260\n", "999.1.1.1:3260",
            ":3260", "bad_host:3260"})
    void refusesPortalsThatAreNotHostColonPort(String portal) throws Exception {
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": " + quote(portal) + "}"), "portal");
        assertThat(registered()).isZero();
    }

    @Test
    void acceptsHostNamesAndBracketedIpv6Portals() throws Exception {
        post(TARGETS, "{\"name\": \"a\", \"portal\": \"storage-1.example.org:3260\"}").andExpect(status().isCreated());
        post(TARGETS, "{\"name\": \"b\", \"portal\": \"[::1]:3260\"}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.portal").value("[::1]:3260"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"iqn.bad", "iqn.2026-13.example:x", "iqn.2026-11.", "iqn.2026-11.example:has space",
            "iqn.2026-11.example:nul\u0000", "IQN.2026-11.example:x", "eui.0123", "eui.0123456789ABCDEFG",
            "naa.0123", "naa.0123456789abcdef0", "disk1", "iqn.2026-11.exa_mple:x", "iqn.2026-11.example:x/1"})
    void refusesIqnsThatAreNotIscsiNames(String iqn) throws Exception {
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"iqns\": [\"iqn.2026-11.example:ok\", "
                + quote(iqn) + "]}"), "iqns[1]");
        assertThat(registered()).isZero();
    }

    @Test
    void acceptsTheThreeIscsiNameFormsUpTo223Bytes() throws Exception {
        String iqn = "iqn.2026-11.example:";
        String longest = iqn + "x".repeat(223 - iqn.length());
        post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"iqns\": [\"eui.02004567A425678D\","
                + " \"naa.52004567BA64678D\", \"naa.62004567BA64678D0123456789ABCDEF\", \"" + longest + "\"]}")
                .andExpect(status().isCreated());
        expectInvalid(post(TARGETS, "{\"name\": \"u\", \"portal\": \"127.0.0.1:1\", \"iqns\": [\"" + longest + "x\"]}"),
                "iqns[0]");
    }

    @Test
    void refusesWrongJsonTypesNamingTheField() throws Exception {
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": 3260}"), "portal");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"admin\": \"abc\"}"), "admin");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"admin\": \"5x\"}"), "admin");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"admin\": \"\"}"), "admin");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"admin\": \"99999999999\"}"), "admin");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"admin\": 53.5}"), "admin");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"admin\": -1}"), "admin");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"admin\": 1e20}"), "admin");
        expectInvalid(post(TARGETS, "{\"name\": 5, \"portal\": \"127.0.0.1:1\"}"), "name");
        expectInvalid(post(TARGETS, "{\"name\": {\"a\": 1}, \"portal\": \"127.0.0.1:1\"}"), "name");
        expectInvalid(post(TARGETS, "{\"name\": [\"t\"], \"portal\": \"127.0.0.1:1\"}"), "name");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"local\": \"true\"}"), "local");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"local\": 1}"), "local");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"iqns\": \"iqn.2026-11.x:y\"}"),
                "iqns");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"iqns\": [7]}"), "iqns[0]");
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"adm1n\": 53}"), "adm1n");
        expectInvalid(post(TARGETS, "{\"portal\": \"127.0.0.1:1\"}"), "name");
        assertThat(registered()).isZero();
    }

    @Test
    void reportsEveryBadFieldAtOnce() throws Exception {
        JsonNode body = expectInvalid(post(TARGETS, "{\"name\": \"a/b\", \"portal\": 3260, \"admin\": \"x\","
                + " \"iqns\": [\"nope\", 7, \"iqn.2026-11.example:ok\"], \"extra\": 1}"), "name");
        assertThat(body.get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("name", "portal", "admin", "iqns[0]", "iqns[1]", "extra");
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsAProblemWithoutClassNames() throws Exception {
        for (String body : List.of("", "[]", "\"t\"", "null", "{", "{\"name\": \"t\", \"name\": ")) {
            MvcResult r = post(TARGETS, body).andExpect(status().is4xxClientError())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).andReturn();
            assertNoLeaks(r);
        }
        assertThat(registered()).isZero();
    }

    @Test
    void capsIqnsPerTarget() throws Exception {
        StringBuilder iqns = new StringBuilder();
        for (int i = 0; i <= TargetRules.MAX_IQNS; i++) {
            iqns.append(i == 0 ? "" : ", ").append("\"iqn.2026-11.example:d").append(i).append('"');
        }
        expectInvalid(post(TARGETS, "{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"iqns\": [" + iqns + "]}"), "iqns");
        assertThat(registered()).isZero();
    }

    @Test
    void capsTheNumberOfTargetsAndPagesTheList() throws Exception {
        int max = StorageFabric.MAX_TARGETS;
        for (int i = 0; i < max; i++) {
            post(TARGETS, target("t" + i)).andExpect(status().isCreated());
        }
        MvcResult full = post(TARGETS, target("one-too-many")).andExpect(status().isUnprocessableEntity())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("" + max))).andReturn();
        assertNoLeaks(full);
        assertThat(registered()).isEqualTo(max);

        mvc.perform(get(TARGETS)).andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(max)).andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(100)).andExpect(jsonPath("$.items.length()").value(100))
                .andExpect(jsonPath("$.items[0].name").value("t0"));
        mvc.perform(get(TARGETS + "?page=2&size=100")).andExpect(jsonPath("$.items.length()").value(max - 200))
                .andExpect(jsonPath("$.items[0].name").value("t200"));
        mvc.perform(get(TARGETS + "?page=0&size=1001")).andExpect(status().isBadRequest());
        mvc.perform(get(TARGETS + "?page=-1")).andExpect(status().isBadRequest());
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(TARGETS + "/t0"))
                .andExpect(status().isNoContent());
        post(TARGETS, target("one-more")).andExpect(status().isCreated());
    }

    @Test
    void unknownTargetNamesAre404sWithoutAHugeEcho() throws Exception {
        MvcResult r = mvc.perform(get(TARGETS + "/" + "b".repeat(5000))).andExpect(status().isNotFound()).andReturn();
        // (the request itself is the problem's "instance", as for every problem of the API)
        assertThat(json.readTree(r.getResponse().getContentAsString()).get("detail").asText()).hasSizeLessThan(200);
    }

    // --- disks/xml -------------------------------------------------------------------------------------------

    @Test
    void aDiskPolicyErrorIsAProblemWithTheFindingsAsErrors() throws Exception {
        JsonNode body = expectInvalid(post(DISKS, "{\"sourceType\": \"block\", \"source\": \"/dev/sdb\", \"bus\": \"sata\","
                + " \"queues\": 4, \"vcpus\": 4}"), "queues");
        assertThat(body.get("errors").get(0).get("pointer").asText()).isEqualTo("#/queues");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/lib/vms/a\u0001.img", "/var/lib/vms/a\u0000.img", "/var/lib/vms/a\n.img",
            "/var/lib/vms/a\t.img", "/var/lib/vms/a\u007f.img", "/var/lib/vms/a\u0085.img", "/var/lib/vms/a\ufffe.img",
            "/var/lib/vms/a\ud800.img"})
    void refusesSourcePathsThatXmlOrAPathCannotCarry(String source) throws Exception {
        MvcResult r = post(DISKS, "{\"sourceType\": \"file\", \"source\": " + quote(source) + ", \"format\": \"raw\"}")
                .andReturn();
        String text = r.getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("&#");
        expectInvalid(post(DISKS, "{\"sourceType\": \"file\", \"source\": " + quote(source) + ", \"format\": \"raw\"}"),
                "source");
    }

    @Test
    void refusesIscsiDiskSourcesThatAreNotIqnSlashLun() throws Exception {
        expectInvalid(post(DISKS, "{\"sourceType\": \"iscsi_network\", \"source\": " + quote("iqn.2026-11.example:d\u0001/1")
                + "}"), "source");
        expectInvalid(post(DISKS, "{\"sourceType\": \"iscsi_network\", \"source\": \"iqn.2026-11.example:d/x\"}"), "source");
        expectInvalid(post(DISKS, "{\"sourceType\": \"iscsi_network\", \"source\": \"iqn.2026-11.ex_ample:d/1\"}"), "source");
        expectInvalid(post(DISKS, "{\"sourceType\": \"iscsi_network\", \"source\": \"iqn.2026-11.example:d/1\","
                + " \"portal\": \"127.0.0.1:99999\"}"), "portal");
        post(DISKS, "{\"sourceType\": \"iscsi_network\", \"source\": \"iqn.2026-11.example:d/1\"}")
                .andExpect(status().isOk());
    }

    @Test
    void refusesWrongJsonTypesInADiskRequest() throws Exception {
        String ok = "\"sourceType\": \"file\", \"source\": \"/var/lib/vms/a.img\"";
        expectInvalid(post(DISKS, "{" + ok + ", \"vcpus\": \"4\"}"), "vcpus");
        expectInvalid(post(DISKS, "{" + ok + ", \"vcpus\": 4.5}"), "vcpus");
        expectInvalid(post(DISKS, "{" + ok + ", \"unit\": true}"), "unit");
        expectInvalid(post(DISKS, "{" + ok + ", \"queues\": \"2\"}"), "queues");
        expectInvalid(post(DISKS, "{" + ok + ", \"queues\": 99999999999}"), "queues");
        expectInvalid(post(DISKS, "{" + ok + ", \"format\": 1}"), "format");
        expectInvalid(post(DISKS, "{\"sourceType\": [\"file\"], \"source\": \"/a\"}"), "sourceType");
        expectInvalid(post(DISKS, "{\"sourceType\": \"file\", \"source\": 7}"), "source");
        expectInvalid(post(DISKS, "{" + ok + ", \"cache\": {}}"), "cache");
        expectInvalid(post(DISKS, "{" + ok + ", \"sorce\": \"/x\"}"), "sorce");
    }

    @Test
    void aHugeDiskSourceIsNotEchoed() throws Exception {
        JsonNode body = expectInvalid(post(DISKS, "{\"sourceType\": \"file\", \"source\": \"" + HUGE + "\"}"), "source");
        assertThat(body.toString()).doesNotContain("a".repeat(200));
        body = expectInvalid(post(DISKS, "{\"sourceType\": \"" + HUGE + "\", \"source\": \"/a\"}"), "sourceType");
        assertThat(body.toString()).doesNotContain("a".repeat(200));
    }

    @Test
    void aValidDiskStillRenders() throws Exception {
        post(DISKS, "{\"sourceType\": \"file\", \"source\": \"/var/lib/vms/a.img\", \"format\": \"raw\","
                + " \"allocation\": \"preallocated\", \"vcpus\": 4}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(true))
                .andExpect(jsonPath("$.disk").value(org.hamcrest.Matchers.containsString("io=\"native\"")));
    }
}
