package io.fabricipam.controller.cluster;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/cluster}: this host, the leader and its epoch, and every host with its state. */
@RestController
@RequestMapping(path = "/api/v1/cluster", produces = "application/json")
class ClusterController {

    private final ClusterStatus status;

    ClusterController(ClusterStatus status) {
        this.status = status;
    }

    @GetMapping
    @Operation(summary = "The cluster as this host sees it: mode, this host and its role, the leader with its epoch,"
            + " and every host with its tunnel endpoint, state (up, or lost since when) and last heartbeat")
    ClusterView cluster() {
        return status.view();
    }
}
