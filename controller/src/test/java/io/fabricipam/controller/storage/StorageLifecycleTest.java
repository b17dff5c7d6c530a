package io.fabricipam.controller.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.fabric.storage.StorageFabric;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Targets from configuration go through the API's rules; a broken one stops the start, naming the property. */
class StorageLifecycleTest {

    private static StorageLifecycle lifecycle(List<StorageProperties.Target> targets) {
        return new StorageLifecycle(new StorageProperties(true, new StorageProperties.Redirector("127.0.0.1:0"), targets,
                new StorageProperties.Probe(Duration.ofMillis(200), Duration.ofMillis(500)),
                new StorageProperties.Failback(true, Duration.ofSeconds(10)), true, 100), Clock.systemUTC());
    }

    @Test
    void configuredTargetsBecomeSpecs() {
        var settings = lifecycle(List.of(new StorageProperties.Target("local", "127.0.0.1:3260", true,
                List.of("iqn.2026-11.example:disk1"), "53"), new StorageProperties.Target("remote", "10.0.0.2", false,
                null, null))).settings();
        assertThat(settings.targets()).hasSize(2);
        assertThat(settings.targets().get(0).admin()).isEqualTo("53");
        assertThat(settings.targets().get(1).portal().port()).isEqualTo(3260); // configuration may leave the port out
    }

    @Test
    void aBrokenTargetNamesItsProperty() {
        assertThatThrownBy(() -> lifecycle(List.of(new StorageProperties.Target("ok", "127.0.0.1:3260", true, null, null),
                new StorageProperties.Target("a/b", "127.0.0.1:3260", true, List.of("nope"), "x"))).settings())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fabric.storage.targets[1].name: ")
                .hasMessageContaining("fabric.storage.targets[1].iqns[0]: ")
                .hasMessageContaining("fabric.storage.targets[1].admin: ");
        assertThatThrownBy(() -> lifecycle(List.of(new StorageProperties.Target("t", "a b:3260", true, null, null)))
                .settings()).hasMessageStartingWith("fabric.storage.targets[0].portal: ");
        assertThatThrownBy(() -> lifecycle(List.of(new StorageProperties.Target("t", null, true, null, null)))
                .settings()).hasMessageStartingWith("fabric.storage.targets[0].portal: ");
    }

    @Test
    void tooManyConfiguredTargetsStopTheStart() {
        List<StorageProperties.Target> targets = new ArrayList<>();
        for (int i = 0; i <= StorageFabric.MAX_TARGETS; i++) {
            targets.add(new StorageProperties.Target("t" + i, "127.0.0.1:3260", false, null, null));
        }
        assertThatThrownBy(() -> lifecycle(targets).settings()).hasMessageContaining("at most " + StorageFabric.MAX_TARGETS);
    }
}
