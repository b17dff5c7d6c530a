package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's contract: cluster mode ({@code fabric.cluster.zookeeper}) on the embedded H2 database is refused
 * at start with a message naming {@code spring.datasource.url}, before anything listens or opens the data.
 */
class ClusterModeStartIT {

    @Test
    void clusterModeOnH2IsRefusedNamingTheProperty(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("fabric.log");
        // no ZooKeeper listens on port 1: the start must fail on the configuration, not on the connection
        FabricProcess fabric = new FabricProcess(data, log, List.of("--fabric.cluster.zookeeper=127.0.0.1:1",
                "--fabric.cluster.underlay-ip=192.0.2.10"));

        int exit = fabric.runToExit(Duration.ofSeconds(120));

        String output = fabric.output();
        assertThat(exit).as(output).isNotZero();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Cluster mode cannot start as configured: spring.datasource.url:")
                .contains("jdbc:postgresql://")
                .doesNotContain("DHCP answering");
        assertThat(data.resolve("fabric-ipam.mv.db")).as("no database created").doesNotExist();
        assertThat(Files.exists(data.resolve("journal"))).as("no journal created").isFalse();
    }
}
