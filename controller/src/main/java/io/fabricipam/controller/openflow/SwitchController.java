package io.fabricipam.controller.openflow;

import io.fabricipam.dhcp.server.ScopeDirectory;
import io.fabricipam.dhcp.server.ScopeState;
import io.fabricipam.ovs.OpenFlowController;
import io.fabricipam.ovs.switches.FlowStat;
import io.fabricipam.ovs.switches.PortView;
import io.fabricipam.ovs.switches.SwitchView;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/switches}: the bridges connected to us, their ports with the scope each is bound to,
 * and our flows with the switch's packet counters — the same flows {@code ovs-ofctl -O OpenFlow13
 * dump-flows BR} shows with our cookie.
 */
@RestController
@RequestMapping(path = "/api/v1/switches", produces = "application/json")
class SwitchController {

    /** How long to wait for a switch's flow statistics before answering without them. */
    static final long STATS_TIMEOUT_MS = 2000;

    record PortResponse(int ofport, String name, String role, int vlan, String taggedVlans, String attachedMac,
            boolean linkUp, boolean adminUp, boolean intercepted, List<String> scopes) {
    }

    record FlowResponse(String flow, long packets, long bytes, long durationSeconds) {
    }

    record SwitchResponse(String datapathId, String address, Instant connectedSince, String flowState,
            List<PortResponse> ports, List<FlowResponse> flows, String flowsError) {
    }

    private final OpenFlowFrontEnd openFlow;
    private final ScopeDirectory directory;

    SwitchController(OpenFlowFrontEnd openFlow, ScopeDirectory directory) {
        this.openFlow = openFlow;
        this.directory = directory;
    }

    @Operation(summary = "Connected bridges, their ports and our flows with counters")
    @GetMapping
    List<SwitchResponse> list() {
        OpenFlowController of = openFlow.controller();
        if (of == null) {
            return List.of();
        }
        List<SwitchResponse> out = new ArrayList<>();
        for (SwitchView s : of.switches()) {
            List<PortResponse> ports = s.ports().stream().map(this::port).toList();
            List<FlowResponse> flows = List.of();
            String error = null;
            try {
                List<FlowStat> stats = of.flowStats(s.dpid()).get(STATS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                flows = stats.stream().map(f -> new FlowResponse(f.text(), f.packets(), f.bytes(), f.durationSeconds())).toList();
            } catch (Exception e) {
                error = "flow statistics unavailable: " + e;
            }
            out.add(new SwitchResponse(s.datapathId(), s.remoteAddress(), s.connectedSince(),
                    s.flowState().name().toLowerCase(Locale.ROOT), ports, flows, error));
        }
        return out;
    }

    private PortResponse port(PortView p) {
        List<String> scopes = new ArrayList<>();
        if (p.intercepted()) {
            for (ScopeState s : directory.states()) {
                if (s.scope().vlan() == p.vlan()) {
                    scopes.add(s.scope().name());
                }
            }
        }
        return new PortResponse(p.ofport(), p.name(), p.role().name().toLowerCase(Locale.ROOT), p.vlan(), p.taggedVlans(),
                p.attachedMac(), p.linkUp(), p.adminUp(), p.intercepted(), scopes);
    }
}
