package io.fabricipam.api.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.fabricipam.api.ApiSlice;
import io.fabricipam.api.ApiSliceTest;
import io.fabricipam.api.problem.ProblemType;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

@ApiSlice
class ScopeApiTest extends ApiSliceTest {

    @Test
    void theReadmeExampleCreatesAScope() throws Exception {
        var result = postJson("/api/v1/scopes", LAB).andExpect(status().isCreated())
                .andExpect(header().string("Location", Matchers.startsWith("/api/v1/scopes/")))
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.id").isNotEmpty())
                .andExpect(jsonPath("$.name").value("lab"))
                .andExpect(jsonPath("$.network").value("10.20.0.0/24"))
                .andExpect(jsonPath("$.gateway").value("10.20.0.1"))
                .andExpect(jsonPath("$.vlan").value(0))
                .andExpect(jsonPath("$.pools[0].start").value("10.20.0.100"))
                .andExpect(jsonPath("$.pools[0].end").value("10.20.0.199"))
                .andExpect(jsonPath("$.leaseTime").value(3600))
                .andExpect(jsonPath("$.renewalTime").value(1800))
                .andExpect(jsonPath("$.rebindingTime").value(3150))
                .andExpect(jsonPath("$.options.dnsServers[0]").value("10.20.0.53"))
                .andExpect(jsonPath("$.options.domainName").value("lab.example"))
                .andExpect(jsonPath("$.options.searchDomains[0]").value("lab.example"))
                .andExpect(jsonPath("$.version").value(1));
        String id = body(result).get("id").asText();
        assertThat(result.andReturn().getResponse().getHeader("Location")).isEqualTo("/api/v1/scopes/" + id);
        getJson("/api/v1/scopes/" + id).andExpect(status().isOk()).andExpect(jsonPath("$.name").value("lab"))
                .andExpect(header().string("ETag", "\"1\""));
    }

    @Test
    void listsWithFiltersAndPages() throws Exception {
        createScope(LAB);
        createScope("{\"name\": \"b\", \"network\": \"10.30.0.0/24\", \"vlan\": 30}");
        createScope("{\"name\": \"c\", \"network\": \"10.40.0.0/24\", \"vlan\": 30}");
        getJson("/api/v1/scopes").andExpect(jsonPath("$.total").value(3)).andExpect(jsonPath("$.items.length()").value(3));
        getJson("/api/v1/scopes?vlan=30").andExpect(jsonPath("$.total").value(2));
        getJson("/api/v1/scopes?name=lab").andExpect(jsonPath("$.items[0].name").value("lab"));
        getJson("/api/v1/scopes?network=10.40.0.7").andExpect(jsonPath("$.items[0].name").value("c"));
        getJson("/api/v1/scopes?network=10.0.0.0/8").andExpect(jsonPath("$.total").value(3));
        getJson("/api/v1/scopes?size=2&page=1").andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.total").value(3));
    }

    @Test
    void putReplacesAndPatchMerges() throws Exception {
        String id = createScope(LAB);
        putJson("/api/v1/scopes/" + id, LAB.replace("3600", "7200")).andExpect(status().isOk())
                .andExpect(jsonPath("$.leaseTime").value(7200)).andExpect(jsonPath("$.version").value(2));
        patchJson("/api/v1/scopes/" + id, "{\"options\": {\"mtu\": 1450, \"domainName\": null}, \"vlan\": 5}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.vlan").value(5))
                .andExpect(jsonPath("$.options.mtu").value(1450))
                .andExpect(jsonPath("$.options.domainName").doesNotExist())
                .andExpect(jsonPath("$.options.dnsServers[0]").value("10.20.0.53"))
                .andExpect(jsonPath("$.leaseTime").value(7200));
    }

    @Test
    void ifMatchWithAStaleVersionIsRefused() throws Exception {
        String id = createScope(LAB);
        var stale = mvc.perform(put("/api/v1/scopes/" + id).header("If-Match", "\"7\"")
                .contentType(MediaType.APPLICATION_JSON).content(LAB));
        expectProblem(stale, ProblemType.VERSION_CONFLICT, "/api/v1/scopes/" + id);
        mvc.perform(put("/api/v1/scopes/" + id).header("If-Match", "\"1\"").contentType(MediaType.APPLICATION_JSON)
                .content(LAB)).andExpect(status().isOk());
    }

    @Test
    void deleteRefusesBoundLeasesUnlessForced() throws Exception {
        String id = createScope(LAB);
        lease("02:00:00:00:00:01", "10.20.0.1");
        var refused = deletePath("/api/v1/scopes/" + id);
        expectProblem(refused, ProblemType.LEASES_IN_USE, "/api/v1/scopes/" + id);
        refused.andExpect(jsonPath("$.conflicts[0]", Matchers.containsString("02:00:00:00:00:01")));
        deletePath("/api/v1/scopes/" + id + "?force=true").andExpect(status().isNoContent());
        expectProblem(getJson("/api/v1/scopes/" + id), ProblemType.NOT_FOUND, "/api/v1/scopes/" + id);
    }

    @Test
    void malformedCidrAndAddressesNameTheirFields() throws Exception {
        var result = postJson("/api/v1/scopes", LAB.replace("10.20.0.0/24", "10.20.0.0/33")
                .replace("\"gateway\": \"10.20.0.1\"", "\"gateway\": \"10.20.0.300\"")
                .replace("\"end\": \"10.20.0.199\"", "\"end\": \"nope\""));
        expectProblem(result, ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "network", "gateway", "pools[0].end");
        result.andExpect(jsonPath("$.errors[?(@.field == 'pools[0].end')].pointer").value("#/pools/0/end"));
    }

    @Test
    void gatewayAndPoolsOutsideTheNetworkAreRefused() throws Exception {
        expectProblem(postJson("/api/v1/scopes", LAB.replace("\"gateway\": \"10.20.0.1\"", "\"gateway\": \"10.21.0.1\"")),
                ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "gateway");
        expectProblem(postJson("/api/v1/scopes", LAB.replace("\"end\": \"10.20.0.199\"", "\"end\": \"10.20.1.10\"")),
                ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "pools[0].end");
    }

    @Test
    void overlappingPoolsAreRefused() throws Exception {
        String twoPools = LAB.replace("[{\"start\": \"10.20.0.100\", \"end\": \"10.20.0.199\"}]",
                "[{\"start\": \"10.20.0.100\", \"end\": \"10.20.0.199\"}, {\"start\": \"10.20.0.150\", \"end\": \"10.20.0.220\"}]");
        expectProblem(postJson("/api/v1/scopes", twoPools), ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "pools[1]");
    }

    @Test
    void overlappingScopesOnOneVlanConflictButOtherVlansMayReuseTheNetwork() throws Exception {
        createScope(LAB);
        var overlap = postJson("/api/v1/scopes", LAB.replace("\"lab\"", "\"lab2\"").replace("10.20.0.0/24", "10.20.0.0/16")
                .replace("\"gateway\": \"10.20.0.1\"", "\"gateway\": \"10.20.9.1\""));
        expectProblem(overlap, ProblemType.OVERLAPPING_SCOPE, "/api/v1/scopes", "network");
        postJson("/api/v1/scopes", LAB.replace("\"lab\"", "\"tenant-b\"").replace("\"vlan\": 0", "\"vlan\": 200"))
                .andExpect(status().isCreated());
    }

    @Test
    void aDuplicateNameConflicts() throws Exception {
        createScope(LAB);
        expectProblem(postJson("/api/v1/scopes", LAB.replace("\"vlan\": 0", "\"vlan\": 7")), ProblemType.DUPLICATE_NAME,
                "/api/v1/scopes", "name");
    }

    @Test
    void shrinkingAPoolUnderBoundLeasesConflictsAndListsThem() throws Exception {
        String id = createScope(LAB);
        String address = lease("02:00:00:00:00:01", "10.20.0.1");
        var shrink = putJson("/api/v1/scopes/" + id + "/pools/10.20.0.100-10.20.0.199",
                "{\"start\": \"10.20.0.150\", \"end\": \"10.20.0.199\"}");
        expectProblem(shrink, ProblemType.LEASES_IN_USE, "/api/v1/scopes/" + id + "/pools/10.20.0.100-10.20.0.199", "pools");
        shrink.andExpect(jsonPath("$.conflicts[0]").value(address + " (02:00:00:00:00:01)"));
    }

    @Test
    void poolsAndExclusionsAreSubResources() throws Exception {
        String id = createScope(LAB);
        postJson("/api/v1/scopes/" + id + "/pools", "{\"start\": \"10.20.0.20\", \"end\": \"10.20.0.29\"}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/scopes/" + id + "/pools/10.20.0.20-10.20.0.29"));
        postJson("/api/v1/scopes/" + id + "/exclusions", "{\"start\": \"10.20.0.120\", \"end\": \"10.20.0.129\"}")
                .andExpect(status().isCreated());
        getJson("/api/v1/scopes/" + id + "/pools").andExpect(jsonPath("$.length()").value(2));
        getJson("/api/v1/scopes/" + id + "/exclusions/10.20.0.120-10.20.0.129").andExpect(status().isOk());
        deletePath("/api/v1/scopes/" + id + "/pools/10.20.0.20-10.20.0.29").andExpect(status().isNoContent());
        getJson("/api/v1/scopes/" + id).andExpect(jsonPath("$.pools.length()").value(1))
                .andExpect(jsonPath("$.exclusions[0].start").value("10.20.0.120"));
        expectProblem(postJson("/api/v1/scopes/" + id + "/pools", "{\"start\": \"10.99.0.1\", \"end\": \"10.99.0.9\"}"),
                ProblemType.VALIDATION_FAILED, "/api/v1/scopes/" + id + "/pools", "pools[1].start", "pools[1].end");
        expectProblem(postJson("/api/v1/scopes/" + id + "/pools", "{\"start\": \"10.20.0.150\", \"end\": \"10.20.0.160\"}"),
                ProblemType.VALIDATION_FAILED, "/api/v1/scopes/" + id + "/pools", "pools[1]");
        expectProblem(getJson("/api/v1/scopes/" + id + "/pools/banana"), ProblemType.MALFORMED_REQUEST,
                "/api/v1/scopes/" + id + "/pools/banana", "range");
    }

    @Test
    void optionsHaveTheirOwnResource() throws Exception {
        String id = createScope(LAB);
        getJson("/api/v1/scopes/" + id + "/options").andExpect(jsonPath("$.domainName").value("lab.example"));
        patchJson("/api/v1/scopes/" + id + "/options", "{\"ntpServers\": [\"10.20.0.123\"],"
                + " \"staticRoutes\": [{\"destination\": \"10.30.0.0/16\", \"router\": \"10.20.0.254\"}],"
                + " \"custom\": [{\"code\": 252, \"type\": \"string\", \"value\": \"http://wpad/wpad.dat\"}]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.ntpServers[0]").value("10.20.0.123"))
                .andExpect(jsonPath("$.staticRoutes[0].router").value("10.20.0.254"))
                .andExpect(jsonPath("$.custom[0].code").value(252))
                .andExpect(jsonPath("$.domainName").value("lab.example"));
        expectProblem(patchJson("/api/v1/scopes/" + id + "/options", "{\"custom\": [{\"code\": 53, \"value\": \"x\"}]}"),
                ProblemType.VALIDATION_FAILED, "/api/v1/scopes/" + id + "/options", "options.custom[0]");
    }

    @Test
    void utilizationCountsPerScopeAndPoolAndWarns() throws Exception {
        String id = createScope(LAB.replace("10.20.0.199", "10.20.0.103"));
        lease("02:00:00:00:00:01", "10.20.0.1");
        lease("02:00:00:00:00:02", "10.20.0.1");
        postJson("/api/v1/scopes/" + id + "/reservations", "{\"mac\": \"02:00:00:00:00:0a\", \"ip\": \"10.20.0.10\"}")
                .andExpect(status().isCreated());
        postJson("/api/v1/scopes/" + id + "/reservations", "{\"mac\": \"02:00:00:00:00:0b\"}").andExpect(status().isCreated());
        getJson("/api/v1/scopes/" + id + "/utilization").andExpect(status().isOk())
                .andExpect(jsonPath("$.pools[0].counts.total").value(4))
                .andExpect(jsonPath("$.pools[0].counts.bound").value(2))
                .andExpect(jsonPath("$.pools[0].counts.reserved").value(1))
                .andExpect(jsonPath("$.pools[0].counts.free").value(1))
                .andExpect(jsonPath("$.scope.total").value(5))
                .andExpect(jsonPath("$.scope.reserved").value(2))
                .andExpect(jsonPath("$.warnings[0]", Matchers.containsString("nearly exhausted")));
    }

    @Test
    void aBodyThatIsNotJsonIs400() throws Exception {
        expectProblem(postJson("/api/v1/scopes", "{\"name\": \"lab\", "), ProblemType.MALFORMED_REQUEST, "/api/v1/scopes");
        expectProblem(postJson("/api/v1/scopes", "name=lab"), ProblemType.MALFORMED_REQUEST, "/api/v1/scopes");
    }

    @Test
    void anUnknownFieldOrAWrongTypeIsNamed() throws Exception {
        expectProblem(postJson("/api/v1/scopes", LAB.replace("\"dnsServers\"", "\"dnsServer\"")),
                ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "options.dnsServer");
        expectProblem(postJson("/api/v1/scopes", LAB.replace("\"vlan\": 0", "\"vlan\": \"abc\"")),
                ProblemType.VALIDATION_FAILED, "/api/v1/scopes", "vlan");
    }

    @Test
    void unknownIdsAndPathsAre404AndBadIds400() throws Exception {
        expectProblem(getJson("/api/v1/scopes/7d1f3a2e-0000-4000-8000-000000000000"), ProblemType.NOT_FOUND,
                "/api/v1/scopes/7d1f3a2e-0000-4000-8000-000000000000");
        expectProblem(getJson("/api/v1/scopes/not-a-uuid"), ProblemType.MALFORMED_REQUEST, "/api/v1/scopes/not-a-uuid", "id");
        expectProblem(getJson("/api/v1/nothing-here?x=1"), ProblemType.NOT_FOUND, "/api/v1/nothing-here?x=1");
    }

    @Test
    void wrongMethodsAndMediaTypesAreProblems() throws Exception {
        String id = createScope(LAB);
        expectProblem(mvc.perform(post("/api/v1/scopes/" + id).contentType(MediaType.APPLICATION_JSON).content("{}")),
                ProblemType.METHOD_NOT_ALLOWED, "/api/v1/scopes/" + id);
        expectProblem(mvc.perform(post("/api/v1/scopes").contentType(MediaType.TEXT_PLAIN).content(LAB)),
                ProblemType.UNSUPPORTED_MEDIA_TYPE, "/api/v1/scopes");
        mvc.perform(get("/api/v1/scopes/" + id)).andExpect(status().isOk());
    }
}
