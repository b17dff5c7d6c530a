package io.fabricipam.fabric.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    private static Inet4Address ip(String text) throws Exception {
        return (Inet4Address) InetAddress.getByName(text);
    }

    @Test
    void defaultsAreTheContractsAndPathsHangOffTheBase() throws Exception {
        ClusterSettings settings = ClusterSettings.of("zk1:2181,zk2:2181, [::1]:2182", "host-a", ip("10.99.0.1"));

        assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.basePath()).isEqualTo("/fabric-ipam");
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.hostPath()).isEqualTo("/fabric-ipam/hosts/host-a");
        assertThat(settings.leaderPath()).isEqualTo("/fabric-ipam/leader");
        assertThat(settings.restUrl()).isNull();
        assertThat(settings.withRestUrl(URI.create("http://h:8080")).restUrl()).hasToString("http://h:8080");
    }

    @Test
    void aWrongConnectStringNamesTheProperty() throws Exception {
        Inet4Address ip = ip("10.99.0.1");
        assertThatThrownBy(() -> ClusterSettings.of(" ", "a", ip))
                .hasMessageStartingWith("fabric.cluster.zookeeper is required");
        assertThatThrownBy(() -> ClusterSettings.of("zk1", "a", ip))
                .hasMessage("fabric.cluster.zookeeper must be host:port[,host:port...]; \"zk1\" is not host:port");
        assertThatThrownBy(() -> ClusterSettings.of("zk1:2181,", "a", ip))
                .hasMessageContaining("\"\" is not host:port");
        assertThatThrownBy(() -> ClusterSettings.of("zk1:70000", "a", ip))
                .hasMessageContaining("fabric.cluster.zookeeper: port 70000");
        assertThatThrownBy(() -> ClusterSettings.of("zk1:2181/chroot", "a", ip))
                .hasMessageStartingWith("fabric.cluster.zookeeper");
    }

    @Test
    void aHostIdMustBeOneNodeName() throws Exception {
        Inet4Address ip = ip("10.99.0.1");
        assertThatThrownBy(() -> ClusterSettings.of("zk:2181", "", ip))
                .hasMessageStartingWith("fabric.cluster.host-id must not be blank");
        assertThatThrownBy(() -> ClusterSettings.of("zk:2181", "a/b", ip))
                .hasMessageStartingWith("fabric.cluster.host-id must be").hasMessageEndingWith("not \"a/b\"");
        assertThatThrownBy(() -> ClusterSettings.of("zk:2181", "..", ip))
                .hasMessageStartingWith("fabric.cluster.host-id");
        assertThat(ClusterSettings.of("zk:2181", "node-7.rack_2", ip).hostId()).isEqualTo("node-7.rack_2");
    }

    @Test
    void theUnderlayMustBeAUnicastAddress() throws Exception {
        assertThatThrownBy(() -> ClusterSettings.of("zk:2181", "a", null))
                .hasMessageStartingWith("fabric.cluster.underlay-ip is required");
        assertThatThrownBy(() -> ClusterSettings.of("zk:2181", "a", ip("0.0.0.0")))
                .hasMessage("fabric.cluster.underlay-ip must be a unicast address of this host, not 0.0.0.0");
        assertThatThrownBy(() -> ClusterSettings.of("zk:2181", "a", ip("239.1.1.1")))
                .hasMessageStartingWith("fabric.cluster.underlay-ip");
    }

    @Test
    void timeoutsAreBounded() throws Exception {
        ClusterSettings settings = ClusterSettings.of("zk:2181", "a", ip("10.99.0.1"));
        assertThatThrownBy(() -> settings.withSessionTimeout(Duration.ofMillis(500)))
                .hasMessage("fabric.cluster.session-timeout must be between 1000 ms and 120000 ms, not 500 ms");
        assertThatThrownBy(() -> settings.withSessionTimeout(null))
                .hasMessage("fabric.cluster.session-timeout is required");
        // the heartbeat must fit twice in a session, or a live host could look silent
        assertThatThrownBy(() -> settings.withHeartbeatInterval(Duration.ofSeconds(3)))
                .hasMessageStartingWith("fabric.cluster.heartbeat-interval must be between 100 ms and 2000 ms");
        assertThatThrownBy(() -> settings.withBasePath("/fabric/"))
                .hasMessageStartingWith("fabric.cluster.base-path");
        assertThatThrownBy(() -> settings.withLostHostsKept(-1)).hasMessageContaining("lost-hosts-kept");
    }

    @Test
    void theDefaultHostIdIsThisMachinesName() throws Exception {
        String hostId = ClusterSettings.localHostId();

        assertThat(hostId).isNotBlank();
        assertThat(ClusterSettings.of("zk:2181", hostId, ip("10.99.0.1")).hostId()).isEqualTo(hostId);
    }
}
