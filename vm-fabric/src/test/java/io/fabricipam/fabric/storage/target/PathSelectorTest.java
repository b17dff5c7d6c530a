package io.fabricipam.fabric.storage.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.fabric.storage.target.PathChoice.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathSelectorTest {

    private static final String IQN = "iqn.2024-01.io.fabricipam:vm-disk-1";
    private static final String OTHER_IQN = "iqn.2024-01.io.fabricipam:vm-disk-2";
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static TargetStatus target(String name, String portal, boolean local, HealthState health, String reason,
                                       Duration ewma, List<String> iqns) {
        LatencySummary latency = ewma == null ? LatencySummary.NONE : new LatencySummary(ewma, ewma, ewma, ewma, 10);
        return new TargetStatus(TargetSpec.of(name, portal, local), health, T0, reason, latency, iqns);
    }

    private static TargetStatus local(HealthState health, String reason) {
        return target("local", "127.0.0.1:3260", true, health, reason, Duration.ofMillis(1), List.of(IQN));
    }

    private static TargetStatus remote(HealthState health, String reason) {
        return target("remote", "10.0.0.2:3260", false, health, reason, Duration.ofMillis(1), List.of(IQN));
    }

    private static TargetStatus remote(String name, Duration ewma) {
        return target(name, "10.0.0.9:3260", false, HealthState.HEALTHY, "5 good pings in a row", ewma, List.of(IQN));
    }

    private static final TargetStatus LOCAL_HEALTHY = local(HealthState.HEALTHY, "5 good pings in a row");
    private static final TargetStatus LOCAL_DEGRADED = local(HealthState.DEGRADED, "slow ping: 80.0 ms > 50.0 ms");
    private static final TargetStatus LOCAL_DOWN = local(HealthState.UNAVAILABLE, "3 pings missed in a row: Connection refused");
    private static final TargetStatus REMOTE_HEALTHY = remote(HealthState.HEALTHY, "5 good pings in a row");
    private static final TargetStatus REMOTE_DEGRADED = remote(HealthState.DEGRADED, "ping missed: Read timed out");
    private static final TargetStatus REMOTE_DOWN = remote(HealthState.UNAVAILABLE, "3 pings missed in a row: Read timed out");

    @Test
    void aHealthyLocalTargetIsActiveOptimizedAndChosenFirst() {
        PathChoice choice = PathSelector.choose(IQN, List.of(REMOTE_HEALTHY, LOCAL_HEALTHY));
        assertThat(choice.verdict()).isEqualTo(Verdict.REDIRECT);
        assertThat(choice.target()).isSameAs(LOCAL_HEALTHY);
        assertThat(choice.target().pathState()).isEqualTo(PathState.ACTIVE_OPTIMIZED);
        // a healthy remote behind the local one is an alternative, not something passed over
        assertThat(choice.explanation()).isEqualTo("local target 'local' (127.0.0.1:3260) healthy: active/optimized, preferred");
    }

    @Test
    void aHealthyRemoteTargetIsActiveNonOptimizedAndWinsOverADegradedLocalOne() {
        PathChoice choice = PathSelector.choose(IQN, List.of(LOCAL_DEGRADED, REMOTE_HEALTHY));
        assertThat(choice.target()).isSameAs(REMOTE_HEALTHY);
        assertThat(choice.target().pathState()).isEqualTo(PathState.ACTIVE_NON_OPTIMIZED);
        assertThat(choice.explanation()).isEqualTo("remote target 'remote' (10.0.0.2:3260) healthy: active/non-optimized,"
                + " used while no local target is healthy; passed over: local target 'local' (127.0.0.1:3260) degraded"
                + " (slow ping: 80.0 ms > 50.0 ms): degraded, used only while no target is healthy");
    }

    @Test
    void degradedTargetsAreALastResortLocalFirst() {
        assertThat(PathSelector.choose(IQN, List.of(REMOTE_DEGRADED, LOCAL_DEGRADED)).target()).isSameAs(LOCAL_DEGRADED);
        PathChoice choice = PathSelector.choose(IQN, List.of(LOCAL_DOWN, REMOTE_DEGRADED));
        assertThat(choice.verdict()).isEqualTo(Verdict.REDIRECT);
        assertThat(choice.target()).isSameAs(REMOTE_DEGRADED);
        assertThat(choice.explanation()).isEqualTo("remote target 'remote' (10.0.0.2:3260) degraded (ping missed: Read"
                + " timed out): degraded, used only while no target is healthy; passed over: local target 'local'"
                + " (127.0.0.1:3260) unavailable (3 pings missed in a row: Connection refused): unavailable, never chosen");
    }

    @Test
    void anUnavailableTargetIsNeverChosen() {
        PathChoice choice = PathSelector.choose(IQN, List.of(REMOTE_DOWN, LOCAL_DOWN));
        assertThat(choice.verdict()).isEqualTo(Verdict.NO_USABLE_TARGET);
        assertThat(choice.target()).isNull();
        assertThat(choice.explanation()).isEqualTo("no usable target for " + IQN + ": local target 'local'"
                + " (127.0.0.1:3260) unavailable (3 pings missed in a row: Connection refused): unavailable, never chosen;"
                + " remote target 'remote' (10.0.0.2:3260) unavailable (3 pings missed in a row: Read timed out):"
                + " unavailable, never chosen");
    }

    @Test
    void passedOverTargetsAreListedBestFirst() {
        TargetStatus remoteDown = target("remote-b", "10.0.0.3:3260", false, HealthState.UNAVAILABLE,
                "1 ping missed: Connection refused", null, List.of(IQN));
        TargetStatus localDown = target("local-b", "127.0.0.1:3262", true, HealthState.UNAVAILABLE,
                "not probed yet", null, List.of(IQN));
        PathChoice choice = PathSelector.choose(IQN, List.of(remoteDown, localDown, REMOTE_HEALTHY, LOCAL_DEGRADED));
        assertThat(choice.target()).isSameAs(REMOTE_HEALTHY);
        // chosen first, then the passed over ones by preference: degraded before unavailable, local before remote
        assertThat(Pattern.compile("target '([^']+)'").matcher(choice.explanation()).results().map(m -> m.group(1)))
                .containsExactly("remote", "local", "local-b", "remote-b");
        assertThat(choice.explanation()).contains(" healthy: active/non-optimized, used while no local target is"
                + " healthy; passed over: local target 'local' ");
    }

    @Test
    void onlyTargetsExportingTheNameCount() {
        TargetStatus localOther = target("local", "127.0.0.1:3260", true, HealthState.HEALTHY, "5 good pings in a row",
                Duration.ofMillis(1), List.of(OTHER_IQN));
        PathChoice choice = PathSelector.choose(IQN, List.of(localOther, REMOTE_HEALTHY));
        assertThat(choice.target()).isSameAs(REMOTE_HEALTHY);
        assertThat(choice.explanation()).doesNotContain("passed over");
    }

    @Test
    void aNameNoTargetExportsIsUnknown() {
        PathChoice choice = PathSelector.choose(OTHER_IQN, List.of(LOCAL_HEALTHY, REMOTE_DOWN));
        assertThat(choice.verdict()).isEqualTo(Verdict.UNKNOWN_TARGET_NAME);
        assertThat(choice.target()).isNull();
        assertThat(choice.explanation()).isEqualTo("no registered target exports " + OTHER_IQN);
    }

    @Test
    void aTargetThatHasNotSaidWhatItExportsMakesTheNameUnavailableNotUnknown() {
        TargetStatus fresh = TargetStatus.unprobed(TargetSpec.of("new", "10.0.0.5:3260", false), T0);
        PathChoice choice = PathSelector.choose(OTHER_IQN, List.of(LOCAL_HEALTHY, fresh));
        assertThat(choice.verdict()).isEqualTo(Verdict.NO_USABLE_TARGET);
        assertThat(choice.explanation()).isEqualTo("no usable target for " + OTHER_IQN + ": remote target 'new'"
                + " (10.0.0.5:3260) unavailable (not probed yet): unavailable, never chosen");
    }

    @Test
    void withoutTargetsThereIsNothingToChoose() {
        PathChoice choice = PathSelector.choose(IQN, List.of());
        assertThat(choice.verdict()).isEqualTo(Verdict.NO_USABLE_TARGET);
        assertThat(choice.explanation()).isEqualTo("no storage target is registered");
    }

    @Test
    void amongEqualTargetsTheLowerAverageLatencyThenTheNameWins() {
        TargetStatus fast = remote("c-fast", Duration.ofMillis(1));
        TargetStatus slow = remote("a-slow", Duration.ofMillis(20));
        TargetStatus unmeasured = remote("0-unmeasured", null);
        TargetStatus fastToo = remote("b-fast", Duration.ofMillis(1));
        assertThat(PathSelector.choose(IQN, List.of(unmeasured, slow, fast, fastToo)).target()).isSameAs(fastToo);
        assertThat(PathSelector.choose(IQN, List.of(unmeasured, slow)).target()).isSameAs(slow);
        assertThat(Stream.of(unmeasured, slow, fast, fastToo).sorted(PathSelector.PREFERENCE))
                .containsExactly(fastToo, fast, slow, unmeasured);
    }

    @Test
    void theChoiceAndItsWordsDoNotDependOnTheOrderOfTheTargets() {
        List<TargetStatus> targets = new ArrayList<>(List.of(LOCAL_DEGRADED, REMOTE_HEALTHY,
                remote("remote-2", Duration.ofMillis(3)), target("local-2", "127.0.0.1:3262", true,
                        HealthState.UNAVAILABLE, "not probed yet", null, List.of(IQN))));
        PathChoice first = PathSelector.choose(IQN, targets);
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(targets, random);
            assertThat(PathSelector.choose(IQN, targets)).isEqualTo(first);
        }
    }

    @Test
    void discoveryAdvertisesTheNamesOfUsableTargetsOnceAndSorted() {
        TargetStatus both = target("both", "10.0.0.4:3260", false, HealthState.DEGRADED, "slow ping: 60.0 ms > 50.0 ms",
                null, List.of(OTHER_IQN, IQN));
        TargetStatus down = target("down", "10.0.0.6:3260", false, HealthState.UNAVAILABLE, "not probed yet", null,
                List.of("iqn.2024-01.io.fabricipam:vm-disk-3"));
        assertThat(PathSelector.advertisedIqns(List.of(LOCAL_HEALTHY, both, down))).containsExactly(IQN, OTHER_IQN);
        assertThat(PathSelector.advertisedIqns(List.of(LOCAL_DOWN, REMOTE_DOWN))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ACTIVE_OPTIMIZED     | active/optimized, preferred
            ACTIVE_NON_OPTIMIZED | active/non-optimized, used while no local target is healthy
            DEGRADED             | degraded, used only while no target is healthy
            UNAVAILABLE          | unavailable, never chosen
            """)
    void explainsEveryPathState(PathState state, String words) {
        assertThat(PathSelector.explainState(state)).isEqualTo(words);
    }

    @Test
    void describesAHealthyTargetWithoutItsReasonAndOtherTargetsWithIt() {
        assertThat(PathSelector.describe(REMOTE_HEALTHY))
                .isEqualTo("remote target 'remote' (10.0.0.2:3260) healthy: active/non-optimized, used while no local"
                        + " target is healthy");
        TargetStatus v6 = target("v6", "[fd00::2]:3260", true, HealthState.UNAVAILABLE, "not probed yet", null,
                List.of());
        assertThat(PathSelector.describe(v6))
                .isEqualTo("local target 'v6' ([fd00::2]:3260) unavailable (not probed yet): unavailable, never chosen");
    }

    @Test
    void aTargetGoesWithARedirectAndOnlyWithIt() {
        assertThatThrownBy(() -> new PathChoice(Verdict.REDIRECT, null, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a target goes with REDIRECT and only with it");
        assertThatThrownBy(() -> new PathChoice(Verdict.NO_USABLE_TARGET, LOCAL_HEALTHY, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PathChoice(Verdict.UNKNOWN_TARGET_NAME, LOCAL_HEALTHY, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
