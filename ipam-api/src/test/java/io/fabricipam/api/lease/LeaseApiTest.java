package io.fabricipam.api.lease;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.fabricipam.api.ApiSlice;
import io.fabricipam.api.ApiSliceTest;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.server.RequestContext;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@ApiSlice
class LeaseApiTest extends ApiSliceTest {

    @Test
    void leasesAreListedAndFiltered() throws Exception {
        String lab = createScope(LAB);
        createScope("{\"name\": \"b\", \"network\": \"10.30.0.0/24\", \"gateway\": \"10.30.0.1\","
                + " \"pools\": [{\"start\": \"10.30.0.10\", \"end\": \"10.30.0.20\"}]}");
        String a = lease("02:00:00:00:00:01", "10.20.0.1");
        lease("02:00:00:00:00:02", "10.20.0.1");
        lease("02:00:00:00:00:03", "10.30.0.1");
        getJson("/api/v1/leases").andExpect(status().isOk()).andExpect(jsonPath("$.total").value(3));
        getJson("/api/v1/leases?scope=" + lab).andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.items[0].scope").value("lab"))
                .andExpect(jsonPath("$.items[0].state").value("bound"));
        getJson("/api/v1/leases?mac=02:00:00:00:00:03").andExpect(jsonPath("$.items[0].ip").value("10.30.0.10"));
        getJson("/api/v1/leases?ip=" + a).andExpect(jsonPath("$.items[0].mac").value("02:00:00:00:00:01"));
        getJson("/api/v1/leases?state=released").andExpect(jsonPath("$.total").value(0));
        getJson("/api/v1/leases?size=1&page=2").andExpect(jsonPath("$.items[0].mac").value("02:00:00:00:00:03"))
                .andExpect(jsonPath("$.total").value(3));
        expectProblem(getJson("/api/v1/leases?state=happy"), ProblemType.MALFORMED_REQUEST, "/api/v1/leases?state=happy",
                "state");
    }

    @Test
    void oneLeaseComesWithItsHistory() throws Exception {
        createScope(LAB);
        String a = lease("02:00:00:00:00:01", "10.20.0.1");
        clock.advance(Duration.ofMinutes(30));
        RequestContext context = RequestContext.onLink(List.of(Ipv4Address.parse("10.20.0.1")), "test:eth0");
        var renewed = dhcp.handle(ClientPacket.request().mac("02:00:00:00:00:01").ciaddr(a).decoded(), context)
                .get(5, TimeUnit.SECONDS);
        Assertions.assertThat(renewed.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
        getJson("/api/v1/leases/" + a).andExpect(status().isOk())
                .andExpect(jsonPath("$.mac").value("02:00:00:00:00:01"))
                .andExpect(jsonPath("$.seenOn").value("test:eth0"))
                .andExpect(jsonPath("$.history[0].type").value("renewed"))
                .andExpect(jsonPath("$.history[1].type").value("bound"));
        getJson("/api/v1/leases/" + a + "/history").andExpect(jsonPath("$.length()").value(2));
        getJson("/api/v1/leases/by-mac/02:00:00:00:00:01").andExpect(jsonPath("$[0].ip").value(a))
                .andExpect(jsonPath("$[0].history.length()").value(2));
        expectProblem(getJson("/api/v1/leases/10.20.0.250"), ProblemType.NOT_FOUND, "/api/v1/leases/10.20.0.250");
        expectProblem(getJson("/api/v1/leases/10.20.0.999"), ProblemType.MALFORMED_REQUEST, "/api/v1/leases/10.20.0.999", "ip");
    }

    @Test
    void forceReleaseEndsTheLeaseDurablyAndTheClientIsRefused() throws Exception {
        createScope(LAB);
        String a = lease("02:00:00:00:00:01", "10.20.0.1");
        deletePath("/api/v1/leases/" + a).andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("released"))
                .andExpect(jsonPath("$.history[0].type").value("force_released"));
        RequestContext context = RequestContext.onLink(List.of(Ipv4Address.parse("10.20.0.1")), "test:eth0");
        // someone else may now have it; the old holder's renewal is refused once it is taken
        String b = lease("02:00:00:00:00:02", "10.20.0.1");
        if (b.equals(a)) {
            var renew = dhcp.handle(ClientPacket.request().mac("02:00:00:00:00:01").ciaddr(a).decoded(), context)
                    .get(5, TimeUnit.SECONDS);
            Assertions.assertThat(renew.reply().messageType()).isEqualTo(DhcpMessageType.NAK);
        }
        getJson("/api/v1/events?type=force_released").andExpect(jsonPath("$[0].ip").value(a));
    }

    @Test
    void overlappingNetworksNeedTheScope() throws Exception {
        String one = createScope(LAB);
        String two = createScope(LAB.replace("\"lab\"", "\"tenant-b\"").replace("\"vlan\": 0", "\"vlan\": 9"));
        RequestContext vlan0 = RequestContext.onVlan(0, "of:1/1");
        RequestContext vlan9 = RequestContext.onVlan(9, "of:1/2");
        for (RequestContext c : List.of(vlan0, vlan9)) {
            var offer = dhcp.handle(ClientPacket.discover().mac("02:00:00:00:00:01").decoded(), c).get(5, TimeUnit.SECONDS);
            dhcp.handle(ClientPacket.request().mac("02:00:00:00:00:01").serverId("10.20.0.1")
                    .requested(offer.reply().yiaddr().toString()).decoded(), c).get(5, TimeUnit.SECONDS);
        }
        expectProblem(getJson("/api/v1/leases/10.20.0.100"), ProblemType.AMBIGUOUS_ADDRESS, "/api/v1/leases/10.20.0.100");
        getJson("/api/v1/leases/10.20.0.100?scope=" + two).andExpect(jsonPath("$.scope").value("tenant-b"))
                .andExpect(jsonPath("$.seenOn").value("of:1/2"));
        getJson("/api/v1/leases/10.20.0.100?scope=" + one).andExpect(jsonPath("$.seenOn").value("of:1/1"));
    }

    @Test
    void eventsAreFilteredNewestFirst() throws Exception {
        String lab = createScope(LAB);
        lease("02:00:00:00:00:01", "10.20.0.1");
        clock.advance(Duration.ofSeconds(10));
        lease("02:00:00:00:00:02", "10.20.0.1");
        getJson("/api/v1/events").andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0].mac").value("02:00:00:00:00:02"));
        getJson("/api/v1/events?scope=" + lab + "&type=bound&mac=02:00:00:00:00:01")
                .andExpect(jsonPath("$.length()").value(1));
        getJson("/api/v1/events?since=" + clock.instant()).andExpect(jsonPath("$[*].mac", Matchers.contains("02:00:00:00:00:02")));
        expectProblem(getJson("/api/v1/events?since=yesterday"), ProblemType.MALFORMED_REQUEST, "/api/v1/events?since=yesterday",
                "since");
    }
}
