package io.fabricipam.api.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabricipam.api.ApiSlice;
import io.fabricipam.api.ApiSliceTest;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.problem.Problems;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

/**
 * What a hostile tester sent to the jar: text the DHCP encoder cannot send, thousands of identical pools,
 * numbers as strings, huge values, weak and empty ETags. Each gets a 4xx problem naming the field, small and
 * free of Java class names, and leaves nothing half-saved.
 */
@ApiSlice
class HostileScopeInputTest extends ApiSliceTest {

    private static final String NO_CLASS_NAMES = "(?s).*(java\\.|javax\\.|jakarta\\.|com\\.fasterxml|org\\.springframework"
            + "|io\\.fabricipam\\.|Exception|For input string).*";

    /** Before: 500, the scope saved but invisible, its name taken, and the next start failed. */
    @ParameterizedTest
    @ValueSource(strings = {"pxelinux-\\u00e9.0", "pxe\\u0000linux.0", "pxe\\nlinux.0", "\\ud83d\\ude00"})
    void textTheDhcpEncoderRefusesIs422AndNothingIsSaved(String jsonText) throws Exception {
        for (String field : List.of("bootFile", "tftpServer", "domainName")) {
            String body = "{\"name\": \"pxe\", \"network\": \"10.9.0.0/24\", \"options\": {\"" + field + "\": \"" + jsonText + "\"}}";
            var result = postJson("/api/v1/scopes", body);
            expectProblem(result, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "options." + field);
            result.andExpect(jsonPath("$.detail").value(Matchers.not(Matchers.matchesRegex(NO_CLASS_NAMES))));
        }
        var search = postJson("/api/v1/scopes", "{\"name\": \"pxe\", \"network\": \"10.9.0.0/24\","
                + " \"options\": {\"searchDomains\": [\"ok.example\", \"" + jsonText + "\"]}}");
        expectProblem(search, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "options.searchDomains[1]");
        var custom = postJson("/api/v1/scopes", "{\"name\": \"pxe\", \"network\": \"10.9.0.0/24\","
                + " \"options\": {\"custom\": [{\"code\": 224, \"type\": \"string\", \"value\": \"" + jsonText + "\"}]}}");
        expectProblem(custom, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "options.custom[0]");
        var hostname = postJson("/api/v1/scopes", "{\"name\": \"pxe\", \"network\": \"10.9.0.0/24\","
                + " \"reservations\": [{\"mac\": \"02:00:00:00:00:01\", \"ip\": \"10.9.0.10\", \"hostname\": \"" + jsonText + "\"}]}");
        expectProblem(hostname, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "reservations[0].hostname");

        getJson("/api/v1/scopes").andExpect(jsonPath("$.total").value(0));
        postJson("/api/v1/scopes", "{\"name\": \"pxe\", \"network\": \"10.9.0.0/24\", \"options\": {\"bootFile\": \"pxelinux.0\"}}")
                .andExpect(status().isCreated());
    }

    @Test
    void changingOptionsToTextTheEncoderRefusesLeavesTheScopeAsItWas() throws Exception {
        String id = createScope(LAB);
        expectProblem(patchJson("/api/v1/scopes/" + id + "/options", "{\"bootFile\": \"pxelinux-\\u00e9.0\"}"),
                ProblemType.VALIDATION_FAILED, "/api/v1/scopes/" + id + "/options", "options.bootFile");
        expectProblem(patchJson("/api/v1/scopes/" + id, "{\"options\": {\"tftpServer\": \"tftp\\u0000\"}}"),
                ProblemType.VALIDATION_FAILED, "/api/v1/scopes/" + id, "options.tftpServer");
        getJson("/api/v1/scopes/" + id).andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.options.bootFile").doesNotExist());
        assertThat(lease("02:00:00:00:00:01", "10.20.0.1")).startsWith("10.20.0.");
    }

    @Test
    void aReservationThatCannotBeMadeLeavesNoScopeBehind() throws Exception {
        var twice = postJson("/api/v1/scopes", LAB.replace("\"leaseTime\"", "\"reservations\": ["
                + "{\"mac\": \"02:00:00:00:00:01\", \"ip\": \"10.20.0.10\"}, {\"mac\": \"02:00:00:00:00:02\", \"ip\": \"10.20.0.10\"}],"
                + " \"leaseTime\""));
        expectProblem(twice, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "reservations[1].ip");
        var malformed = postJson("/api/v1/scopes", LAB.replace("\"leaseTime\"", "\"reservations\": [{\"mac\": \"nope\", \"ip\": \"10.20.0.10\"}],"
                + " \"leaseTime\""));
        expectProblem(malformed, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "reservations[0].mac");
        getJson("/api/v1/scopes").andExpect(jsonPath("$.total").value(0));
    }

    /** Before: 500 identical pools (23 KB) gave a 24.7 MB problem. */
    @Test
    void identicalPoolsGiveABoundedProblem() throws Exception {
        ObjectNode scope = (ObjectNode) json.readTree(LAB);
        ArrayNode pools = scope.putArray("pools");
        for (int i = 0; i < 500; i++) {
            pools.addObject().put("start", "10.20.0.100").put("end", "10.20.0.199");
        }
        var result = postJson("/api/v1/scopes", json.writeValueAsString(scope));
        expectProblem(result, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "pools[1]");
        result.andExpect(jsonPath("$.errors.length()").value(Problems.MAX_ERRORS))
                .andExpect(jsonPath("$.errorsOmitted").value(499 - Problems.MAX_ERRORS));
        assertThat(result.andReturn().getResponse().getContentAsByteArray().length).isLessThan(16_000);

        for (int i = 0; i < 600; i++) {
            pools.addObject().put("start", "10.20.0.100").put("end", "10.20.0.199");
        }
        var tooMany = postJson("/api/v1/scopes", json.writeValueAsString(scope));
        expectProblem(tooMany, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "pools");
        tooMany.andExpect(jsonPath("$.errors.length()").value(1))
                .andExpect(jsonPath("$.errors[0].detail", Matchers.containsString("at most 1024")));
    }

    @Test
    void exclusionsBeyondTheCapAreRefusedOneByOne() throws Exception {
        ObjectNode scope = (ObjectNode) json.readTree(LAB.replace("10.20.0.0/24", "10.20.0.0/16"));
        ArrayNode exclusions = scope.putArray("exclusions");
        for (int i = 0; i < 4096; i++) {
            String a = "10.20." + (16 + i / 256) + "." + (i % 256);
            exclusions.addObject().put("start", a).put("end", a);
        }
        String id = body(postJson("/api/v1/scopes", json.writeValueAsString(scope)).andExpect(status().isCreated()))
                .get("id").asText();
        var oneMore = postJson("/api/v1/scopes/" + id + "/exclusions", "{\"start\": \"10.20.99.1\", \"end\": \"10.20.99.1\"}");
        expectProblem(oneMore, ProblemType.VALIDATION_FAILED, "/api/v1/scopes/" + id + "/exclusions", "exclusions");
        getJson("/api/v1/scopes/" + id + "/utilization").andExpect(status().isOk())
                .andExpect(jsonPath("$.pools[0].counts.total").value(100));
    }

    @Test
    void numbersMustBeNumbersAndStringsStrings() throws Exception {
        expectType(LAB.replace("\"leaseTime\": 3600", "\"leaseTime\": \"3600\""), "leaseTime", "an integer");
        expectType(LAB.replace("\"leaseTime\": 3600", "\"leaseTime\": 3600.7"), "leaseTime", "an integer");
        expectType(LAB.replace("\"leaseTime\": 3600", "\"leaseTime\": 3600.0"), "leaseTime", "an integer");
        expectType(LAB.replace("\"vlan\": 0", "\"vlan\": true"), "vlan", "an integer");
        expectType(LAB.replace("\"vlan\": 0", "\"vlan\": \"\""), "vlan", "an integer");
        expectType(LAB.replace("\"vlan\": 0", "\"vlan\": 99999999999"), "vlan", "out of range");
        expectType(LAB.replace("\"name\": \"lab\"", "\"name\": 42"), "name", "a string");
        expectType(LAB.replace("\"gateway\": \"10.20.0.1\"", "\"gateway\": false"), "gateway", "a string");
        expectType(LAB.replace("\"10.20.0.53\"", "168427573"), "options.dnsServers[0]", "a string");
        expectType(LAB.replace("\"options\": {", "\"options\": {\"mtu\": \"1450\", "), "options.mtu", "an integer");
        expectType(LAB.replace("\"options\": {", "\"options\": {\"custom\": [{\"code\": \"252\", \"value\": \"x\"}], "),
                "options.custom[0].code", "an integer");
        expectType(LAB.replace("\"pools\": [", "\"pools\": [\"10.20.0.100-10.20.0.199\", "), "pools[0]", "an object");
        String id = createScope(LAB);
        expectProblem(patchJson("/api/v1/scopes/" + id, "{\"leaseTime\": \"7200\"}"), ProblemType.VALIDATION_FAILED,
                "/api/v1/scopes/" + id, "leaseTime");
        expectProblem(postJson("/api/v1/scopes/" + id + "/reservations", "{\"mac\": 2}"), ProblemType.VALIDATION_FAILED,
                "/api/v1/scopes/" + id + "/reservations", "mac");
        expectProblem(postJson("/api/v1/scopes/" + id + "/pools", "{\"start\": 167903332, \"end\": \"10.20.0.30\"}"),
                ProblemType.VALIDATION_FAILED, "/api/v1/scopes/" + id + "/pools", "start");
        getJson("/api/v1/scopes/" + id).andExpect(jsonPath("$.leaseTime").value(3600));
    }

    private void expectType(String body, String field, String expected) throws Exception {
        var result = postJson("/api/v1/scopes", body);
        expectProblem(result, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", field);
        result.andExpect(jsonPath("$.errors[0].detail", Matchers.containsString(expected)))
                .andExpect(jsonPath("$.detail").value(Matchers.not(Matchers.matchesRegex(NO_CLASS_NAMES))));
        getJson("/api/v1/scopes?name=lab").andExpect(jsonPath("$.total").value(0));
    }

    @Test
    void detailsNameNoJavaClassAndEchoNoHugeValue() throws Exception {
        List<ResultActions> answers = List.of(
                mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/scopes")
                        .contentType(MediaType.APPLICATION_JSON)),
                postJson("/api/v1/scopes", "[1, 2]"),
                postJson("/api/v1/scopes", "{\"name\": \"lab\"} trailing"),
                postJson("/api/v1/scopes", "{\"name\": "),
                getJson("/api/v1/scopes?page=abc"),
                getJson("/api/v1/scopes?vlan=99999999999"),
                getJson("/api/v1/scopes?size=1e9"));
        for (ResultActions answer : answers) {
            answer.andExpect(status().is4xxClientError())
                    .andExpect(jsonPath("$.type", Matchers.startsWith(ProblemType.BASE)))
                    .andExpect(jsonPath("$.detail").value(Matchers.not(Matchers.matchesRegex(NO_CLASS_NAMES))));
        }
        expectProblem(answers.get(0), ProblemType.MALFORMED_REQUEST, "/api/v1/scopes");
        expectProblem(answers.get(4), ProblemType.MALFORMED_REQUEST, "/api/v1/scopes?page=abc", "page");

        String megabyte = "x".repeat(1 << 20);
        var hugeDomain = postJson("/api/v1/scopes", LAB.replace("lab.example\", \"searchDomains", megabyte + "\", \"searchDomains"));
        expectProblem(hugeDomain, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "options.domainName");
        var hugeNetwork = postJson("/api/v1/scopes", LAB.replace("10.20.0.0/24", "10.20.0.0/" + megabyte));
        expectProblem(hugeNetwork, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "network");
        var longKey = postJson("/api/v1/scopes", LAB.replace("\"vlan\"", "\"" + "x".repeat(40_000) + "\": 1, \"vlan\""));
        expectProblem(longKey, ProblemType.VALIDATION_FAILED, "/api/v1/scopes");
        // beyond Jackson's limit on names (50,000 characters) the body is not read at all
        var hugeKey = postJson("/api/v1/scopes", LAB.replace("\"vlan\"", "\"" + megabyte + "\": 1, \"vlan\""));
        expectProblem(hugeKey, ProblemType.MALFORMED_REQUEST, "/api/v1/scopes");
        for (ResultActions huge : List.of(hugeDomain, hugeNetwork, longKey, hugeKey)) {
            JsonNode problem = body(huge);
            assertThat(huge.andReturn().getResponse().getContentAsByteArray().length).isLessThan(4096);
            assertThat(problem.get("detail").asText()).doesNotContain("x".repeat(100));
        }
    }

    @Test
    void ifMatchComparesStronglyAndMustBeWellFormed() throws Exception {
        String id = createScope(LAB);
        String path = "/api/v1/scopes/" + id;
        var weak = mvc.perform(put(path).header("If-Match", "W/\"1\"").contentType(MediaType.APPLICATION_JSON).content(LAB));
        expectProblem(weak, ProblemType.VERSION_CONFLICT, path);
        expectProblem(mvc.perform(delete(path).header("If-Match", "W/\"1\"")), ProblemType.VERSION_CONFLICT, path);
        expectProblem(mvc.perform(put(path).header("If-Match", "").contentType(MediaType.APPLICATION_JSON).content(LAB)),
                ProblemType.MALFORMED_REQUEST, path, "If-Match");
        expectProblem(mvc.perform(put(path).header("If-Match", "1").contentType(MediaType.APPLICATION_JSON).content(LAB)),
                ProblemType.MALFORMED_REQUEST, path, "If-Match");
        expectProblem(mvc.perform(put(path).header("If-Match", "\"1").contentType(MediaType.APPLICATION_JSON).content(LAB)),
                ProblemType.MALFORMED_REQUEST, path, "If-Match");
        getJson(path).andExpect(jsonPath("$.version").value(1));

        mvc.perform(put(path).header("If-Match", "\"7\", \"1\"").contentType(MediaType.APPLICATION_JSON).content(LAB))
                .andExpect(status().isOk()).andExpect(jsonPath("$.version").value(2));
        mvc.perform(put(path).header("If-Match", "*").contentType(MediaType.APPLICATION_JSON).content(LAB))
                .andExpect(status().isOk());
        mvc.perform(get(path)).andExpect(status().isOk());
        mvc.perform(delete(path).header("If-Match", "\"3\"")).andExpect(status().isNoContent());
    }

    @Test
    void aConflictListsAtMostFiftyLeases() throws Exception {
        String id = createScope(LAB);
        for (int i = 0; i < 60; i++) {
            lease(String.format("02:00:00:00:01:%02x", i), "10.20.0.1");
        }
        var refused = deletePath("/api/v1/scopes/" + id);
        expectProblem(refused, ProblemType.LEASES_IN_USE, "/api/v1/scopes/" + id);
        refused.andExpect(jsonPath("$.conflicts.length()").value(50)).andExpect(jsonPath("$.conflictsOmitted").value(10));
    }
}
