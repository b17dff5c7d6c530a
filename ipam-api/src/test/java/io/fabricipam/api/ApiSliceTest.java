package io.fabricipam.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.server.DhcpServer;
import io.fabricipam.dhcp.server.RequestContext;
import io.fabricipam.dhcp.testing.ClientPacket;
import io.fabricipam.dhcp.testing.MutableClock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hamcrest.Matchers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Base of the REST slices (annotate subclasses {@link ApiSlice}): helpers to call the API and to assert
 * problem details as a client would, and to give clients leases through the real DHCP core.
 */
public abstract class ApiSliceTest {

    public static final String LAB = """
            {"name": "lab", "network": "10.20.0.0/24", "gateway": "10.20.0.1", "vlan": 0,
             "pools": [{"start": "10.20.0.100", "end": "10.20.0.199"}],
             "leaseTime": 3600,
             "options": {"dnsServers": ["10.20.0.53"], "domainName": "lab.example", "searchDomains": ["lab.example"]}}""";

    @Autowired
    protected MockMvc mvc;
    @Autowired
    protected ObjectMapper json;
    @Autowired
    protected DhcpServer dhcp;
    @Autowired
    protected MutableClock clock;

    protected ResultActions postJson(String path, String body) throws Exception {
        return mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    protected ResultActions putJson(String path, String body) throws Exception {
        return mvc.perform(put(path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    protected ResultActions patchJson(String path, String body) throws Exception {
        return mvc.perform(patch(path).contentType("application/merge-patch+json").content(body));
    }

    protected ResultActions getJson(String path) throws Exception {
        return mvc.perform(get(path));
    }

    protected ResultActions deletePath(String path) throws Exception {
        return mvc.perform(delete(path));
    }

    /** Creates a scope from JSON and returns its id. */
    protected String createScope(String body) throws Exception {
        String response = postJson("/api/v1/scopes", body).andExpect(status().isCreated()).andReturn()
                .getResponse().getContentAsString();
        return json.readTree(response).get("id").asText();
    }

    /** A client gets a lease on the scope whose network holds {@code serverAddress} (DISCOVER + REQUEST). */
    protected String lease(String mac, String serverAddress) throws Exception {
        RequestContext context = RequestContext.onLink(List.of(Ipv4Address.parse(serverAddress)), "test:eth0");
        var offer = dhcp.handle(ClientPacket.discover().mac(mac).decoded(), context).get(5, TimeUnit.SECONDS);
        String yiaddr = offer.reply().yiaddr().toString();
        var ack = dhcp.handle(ClientPacket.request().mac(mac).serverId(serverAddress).requested(yiaddr).decoded(), context)
                .get(5, TimeUnit.SECONDS);
        return ack.reply().yiaddr().toString();
    }

    /**
     * The response is an RFC 9457 problem of {@code type}, about {@code instance}, naming {@code fields} in
     * its errors (in any order).
     */
    protected static void expectProblem(ResultActions result, ProblemType type, String instance, String... fields)
            throws Exception {
        result.andExpect(status().is(type.status().value()))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(type.uri().toString()))
                .andExpect(jsonPath("$.status").value(type.status().value()))
                .andExpect(jsonPath("$.instance").value(instance))
                .andExpect(jsonPath("$.detail").isNotEmpty());
        if (fields.length > 0) {
            result.andExpect(jsonPath("$.errors[*].field", Matchers.hasItems(fields)));
        }
    }

    protected JsonNode body(ResultActions result) throws Exception {
        return json.readTree(result.andReturn().getResponse().getContentAsString());
    }
}
