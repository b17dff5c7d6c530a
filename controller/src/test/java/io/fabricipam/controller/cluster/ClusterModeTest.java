package io.fabricipam.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.controller.dhcp.DhcpProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class ClusterModeTest {

    static MockEnvironment cluster() {
        return new MockEnvironment()
                .withProperty("fabric.cluster.zookeeper", "127.0.0.1:2181,127.0.0.1:2182")
                .withProperty("fabric.cluster.underlay-ip", "192.0.2.10")
                .withProperty("spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/fabric");
    }

    static DhcpProperties dhcp(MockEnvironment environment) {
        return Binder.get(environment).bindOrCreate("fabric.dhcp", DhcpProperties.class);
    }

    @Test
    void withoutZookeeperNothingIsCheckedAndNothingChanges() {
        MockEnvironment single = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:file:./data/x");
        ClusterProperties settings = ClusterMode.check(single);
        assertThat(settings.enabled()).isFalse();
        assertThat(ClusterMode.effective(dhcp(single), settings).journal()).isEqualTo(DhcpProperties.JournalMode.FILE);
    }

    @Test
    void aClusterOnPostgresqlCommitsLeasesIntoTheDatabase() {
        MockEnvironment environment = cluster();
        ClusterProperties settings = ClusterMode.check(environment);
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(ClusterMode.effective(dhcp(environment), settings).journal()).isEqualTo(DhcpProperties.JournalMode.DATABASE);
        environment.setProperty("fabric.dhcp.journal", "database");
        assertThat(ClusterMode.check(environment).enabled()).isTrue();
    }

    @Test
    void aClusterOnH2IsRefusedNamingTheDatasourceUrl() {
        MockEnvironment h2 = cluster().withProperty("spring.datasource.url",
                "jdbc:h2:file:/var/lib/fabric-ipam/fabric-ipam;PASSWORD=secret");
        assertThatThrownBy(() -> ClusterMode.check(h2)).isInstanceOfSatisfying(ClusterConfigurationException.class, e -> {
            assertThat(e.property()).isEqualTo("spring.datasource.url");
            assertThat(e.getMessage()).startsWith("spring.datasource.url: ").contains("jdbc:h2").doesNotContain("secret");
            assertThat(e.action()).contains("jdbc:postgresql://");
        });
        MockEnvironment none = new MockEnvironment().withProperty("fabric.cluster.zookeeper", "zk:2181")
                .withProperty("fabric.cluster.underlay-ip", "192.0.2.10");
        assertThatThrownBy(() -> ClusterMode.check(none)).hasMessageContaining("embedded H2");
    }

    @Test
    void aJournalFileIsRefusedInClusterMode() {
        assertThatThrownBy(() -> ClusterMode.check(cluster().withProperty("fabric.dhcp.journal", "file")))
                .isInstanceOfSatisfying(ClusterConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("fabric.dhcp.journal"));
    }

    @Test
    void theUnderlayAddressIsRequiredAndMustBeIpv4() {
        MockEnvironment missing = new MockEnvironment().withProperty("fabric.cluster.zookeeper", "zk:2181")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/fabric");
        assertThatThrownBy(() -> ClusterMode.check(missing)).isInstanceOfSatisfying(ClusterConfigurationException.class,
                e -> assertThat(e.property()).isEqualTo("fabric.cluster.underlay-ip"));
        for (String bad : new String[] {"host.example", "2001:db8::1", "300.1.1.1", "10.0.0"}) {
            assertThatThrownBy(() -> ClusterMode.check(cluster().withProperty("fabric.cluster.underlay-ip", bad)))
                    .as(bad).isInstanceOfSatisfying(ClusterConfigurationException.class,
                            e -> assertThat(e.property()).isEqualTo("fabric.cluster.underlay-ip"));
        }
    }

    @Test
    void aSessionTimeoutZookeeperWouldRefuseIsRefusedFirst() {
        assertThatThrownBy(() -> ClusterMode.check(cluster().withProperty("fabric.cluster.session-timeout", "200ms")))
                .isInstanceOfSatisfying(ClusterConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("fabric.cluster.session-timeout"));
    }

    @Test
    void withoutTheEarlyPhaseAClusterIsRefusedAndASingleHostRuns() {
        assertThatThrownBy(() -> ClusterMode.refuseWithoutEarlyPhase(ClusterMode.check(cluster())))
                .isInstanceOfSatisfying(ClusterConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("fabric.cluster.zookeeper"));
        ClusterMode.refuseWithoutEarlyPhase(ClusterMode.check(new MockEnvironment()));
    }

    @Test
    void theFailureAnalysisNamesThePropertyAndTheWayOut() {
        ClusterConfigurationException refused = new ClusterConfigurationException("spring.datasource.url", "not PostgreSQL",
                "Set it to jdbc:postgresql://...");
        FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer().analyze(new IllegalStateException(refused));
        assertThat(analysis.getDescription()).contains("spring.datasource.url: not PostgreSQL");
        assertThat(analysis.getAction()).isEqualTo("Set it to jdbc:postgresql://...");
    }
}
