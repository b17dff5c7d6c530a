package io.fabricipam.api.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.fabricipam.api.ApiSlice;
import io.fabricipam.api.ApiSliceTest;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.server.RequestContext;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@ApiSlice
class ReservationApiTest extends ApiSliceTest {

    @Test
    void aMacAloneGetsTheNextFreeAddressAtOnceAndTheSameAgain() throws Exception {
        String id = createScope(LAB);
        var first = postJson("/api/v1/scopes/" + id + "/reservations", "{\"mac\": \"02:00:00:00:00:01\"}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/scopes/" + id + "/reservations/02:00:00:00:00:01"))
                .andExpect(jsonPath("$.mac").value("02:00:00:00:00:01"))
                .andExpect(jsonPath("$.scopeId").value(id));
        String ip = body(first).get("ip").asText();
        assertThat(Ipv4Address.parse(ip).compareTo(Ipv4Address.parse("10.20.0.100"))).isGreaterThanOrEqualTo(0);
        assertThat(Ipv4Address.parse(ip).compareTo(Ipv4Address.parse("10.20.0.199"))).isLessThanOrEqualTo(0);
        postJson("/api/v1/scopes/" + id + "/reservations", "{\"mac\": \"02-00-00-00-00-01\"}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.ip").value(ip));
        String second = body(postJson("/api/v1/scopes/" + id + "/reservations", "{\"mac\": \"02:00:00:00:00:02\"}"))
                .get("ip").asText();
        assertThat(second).isNotEqualTo(ip);
    }

    @Test
    void aReservationIsUsedByTheNextDhcpExchange() throws Exception {
        String id = createScope(LAB);
        postJson("/api/v1/scopes/" + id + "/reservations",
                "{\"mac\": \"02:00:00:00:00:0a\", \"ip\": \"10.20.0.10\", \"hostname\": \"vm-ten\"}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.hostname").value("vm-ten"));
        RequestContext context = RequestContext.onLink(List.of(Ipv4Address.parse("10.20.0.1")), "test");
        var offer = dhcp.handle(ClientPacket.discover().mac("02:00:00:00:00:0a").decoded(), context).get(5, TimeUnit.SECONDS);
        assertThat(offer.reply().messageType()).isEqualTo(DhcpMessageType.OFFER);
        assertThat(offer.reply().yiaddr()).isEqualTo(Ipv4Address.parse("10.20.0.10"));
        // and an option change too
        patchJson("/api/v1/scopes/" + id + "/options", "{\"dnsServers\": [\"10.20.0.54\"]}").andExpect(status().isOk());
        var again = dhcp.handle(ClientPacket.discover().mac("02:00:00:00:00:0a").parameters(6).decoded(), context)
                .get(5, TimeUnit.SECONDS);
        assertThat(again.reply().option(6)).isEqualTo(Ipv4Address.parse("10.20.0.54").toBytes());
    }

    @Test
    void listGetChangeAndDelete() throws Exception {
        String id = createScope(LAB);
        postJson("/api/v1/scopes/" + id + "/reservations", "{\"mac\": \"02:00:00:00:00:0a\", \"ip\": \"10.20.0.10\"}");
        postJson("/api/v1/scopes/" + id + "/reservations", "{\"mac\": \"02:00:00:00:00:0b\", \"ip\": \"10.20.0.11\"}");
        getJson("/api/v1/scopes/" + id + "/reservations").andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.items[1].ip").value("10.20.0.11"));
        putJson("/api/v1/scopes/" + id + "/reservations/02:00:00:00:00:0b", "{\"ip\": \"10.20.0.12\", \"hostname\": \"b\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.ip").value("10.20.0.12"));
        getJson("/api/v1/scopes/" + id + "/reservations/02:00:00:00:00:0b").andExpect(jsonPath("$.hostname").value("b"));
        getJson("/api/v1/scopes/" + id).andExpect(jsonPath("$.reservationCount").value(2));
        deletePath("/api/v1/scopes/" + id + "/reservations/02:00:00:00:00:0b").andExpect(status().isNoContent());
        expectProblem(getJson("/api/v1/scopes/" + id + "/reservations/02:00:00:00:00:0b"), ProblemType.NOT_FOUND,
                "/api/v1/scopes/" + id + "/reservations/02:00:00:00:00:0b");
    }

    @Test
    void anAddressOutsideTheScopeOrMalformedIsRefused() throws Exception {
        String id = createScope(LAB);
        String path = "/api/v1/scopes/" + id + "/reservations";
        expectProblem(postJson(path, "{\"mac\": \"02:00:00:00:00:0a\", \"ip\": \"10.21.0.10\"}"),
                ProblemType.VALIDATION_FAILED, path, "ip");
        expectProblem(postJson(path, "{\"mac\": \"02:00:00:00:00:0a\", \"ip\": \"10.20.0.1\"}"),
                ProblemType.VALIDATION_FAILED, path, "ip"); // the gateway
        expectProblem(postJson(path, "{\"mac\": \"02:00:00:00:00:0a\", \"ip\": \"10.20.0.999\"}"),
                ProblemType.VALIDATION_FAILED, path, "ip");
        expectProblem(postJson(path, "{\"mac\": \"02:00:00:00:0a\"}"), ProblemType.VALIDATION_FAILED, path, "mac");
        expectProblem(postJson(path, "{\"ip\": \"10.20.0.10\"}"), ProblemType.VALIDATION_FAILED, path, "mac");
    }

    @Test
    void anAddressHeldByAnotherMacConflicts() throws Exception {
        String id = createScope(LAB);
        String path = "/api/v1/scopes/" + id + "/reservations";
        postJson(path, "{\"mac\": \"02:00:00:00:00:0a\", \"ip\": \"10.20.0.10\"}").andExpect(status().isCreated());
        expectProblem(postJson(path, "{\"mac\": \"02:00:00:00:00:0b\", \"ip\": \"10.20.0.10\"}"),
                ProblemType.ADDRESS_IN_USE, path, "ip");
        String leased = lease("02:00:00:00:00:0c", "10.20.0.1");
        expectProblem(postJson(path, "{\"mac\": \"02:00:00:00:00:0d\", \"ip\": \"" + leased + "\"}"),
                ProblemType.ADDRESS_IN_USE, path, "ip");
    }

    @Test
    void anExhaustedPoolIsASpecificProblem() throws Exception {
        String id = createScope(LAB.replace("10.20.0.199", "10.20.0.101"));
        String path = "/api/v1/scopes/" + id + "/reservations";
        postJson(path, "{\"mac\": \"02:00:00:00:00:01\"}").andExpect(status().isCreated());
        postJson(path, "{\"mac\": \"02:00:00:00:00:02\"}").andExpect(status().isCreated());
        expectProblem(postJson(path, "{\"mac\": \"02:00:00:00:00:03\"}"), ProblemType.POOL_EXHAUSTED, path);
    }
}
