package io.fabricipam.controller.cluster;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/v1/cluster} answers: this host, the leader and its epoch, and every host known.
 *
 * @param mode   {@code single-host} (no ZooKeeper: this host leads itself, epoch 0) or {@code cluster}
 * @param self   this host's id
 * @param role   this host's role: {@code leader}, {@code follower}, or {@code none} while it cannot tell (not
 *               connected to ZooKeeper: it answers no DHCP then)
 * @param leader the leader as this host knows it; null while there is none
 * @param hosts  every host, by id
 */
public record ClusterView(String mode, String self, String role, Leader leader, List<Host> hosts) {

    public static final String SINGLE_HOST = "single-host";
    public static final String CLUSTER = "cluster";
    public static final String LEADER = "leader";
    public static final String FOLLOWER = "follower";
    public static final String NONE = "none";

    public ClusterView {
        hosts = List.copyOf(hosts);
    }

    /**
     * @param hostId the leading host
     * @param epoch  its leader epoch: bumped in the store at every takeover, written with every lease change
     * @param since  when this host learnt of this leader
     */
    public record Leader(String hostId, long epoch, Instant since) {
    }

    /**
     * @param hostId        its id
     * @param underlayIp    its tunnel endpoint (null for a single host)
     * @param state         {@code up}, or {@code lost} (its ZooKeeper session ended)
     * @param lostSince     when it was lost; null while up
     * @param lastHeartbeat the last sign of life seen
     * @param apiUrl        where its REST API answers (what a follower sends writes on to); null when unknown
     */
    public record Host(String hostId, String underlayIp, String state, Instant lostSince, Instant lastHeartbeat,
            String apiUrl) {

        public static final String UP = "up";
        public static final String LOST = "lost";
    }
}
