package io.fabricipam.ovs.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlowDiffTest {

    private static final long COOKIE = FlowCookie.DEFAULT.forPurpose(FlowCookie.PUNT);
    private static final FlowSpec NORMAL = FlowSpec.of(0, 0, COOKIE, FlowMatch.ALL, List.of(new FlowAction.Normal()));
    private static final FlowSpec PUNT_2 = punt(2);
    private static final FlowSpec PUNT_3 = punt(3);

    @Test
    void nothingToDoWhenTheSwitchHoldsExactlyTheIntendedFlows() {
        assertThat(FlowDiff.between(List.of(NORMAL, PUNT_2), List.of(PUNT_2, NORMAL)).isEmpty()).isTrue();
    }

    @Test
    void addsWhatIsMissingAndDeletesWhatIsNoLongerIntendedLeavingTheRestAlone() {
        FlowDiff diff = FlowDiff.between(List.of(NORMAL, PUNT_2), List.of(NORMAL, PUNT_3));

        assertThat(diff.toAdd()).containsExactly(PUNT_3);
        assertThat(diff.toDelete()).containsExactly(PUNT_2);
    }

    @Test
    void aChangedActionWithTheSameKeyIsReplacedByAnAddNotDeletedFirst() {
        FlowSpec metered = PUNT_2.withMeter(2);

        FlowDiff diff = FlowDiff.between(List.of(PUNT_2), List.of(metered));

        assertThat(diff.toAdd()).containsExactly(metered);
        assertThat(diff.toDelete()).isEmpty();
    }

    @Test
    void metersAreAddedModifiedAndOnlyOwnedOnesDeleted() {
        MeterSpec four = new MeterSpec(4, 100, 50);
        MeterSpec five = new MeterSpec(5, 100, 50);
        Map<Long, MeterSpec> installed = Map.of(
                4L, new MeterSpec(4, 10, 5),   // ours, rate changed
                6L, new MeterSpec(6, 100, 50), // ours, no longer wanted
                7L, new MeterSpec(7, 100, 50)); // someone else's

        MeterDiff diff = MeterDiff.between(installed, Set.of(4L, 6L), List.of(four, five));

        assertThat(diff.toAdd()).containsExactly(five);
        assertThat(diff.toModify()).containsExactly(four);
        assertThat(diff.toDelete()).containsExactly(6L);
    }

    private static FlowSpec punt(int port) {
        return FlowSpec.of(0, 300, COOKIE, FlowMatch.ALL.withInPort(port).withUdp(68, 67),
                List.of(new FlowAction.Controller(0xffff)));
    }
}
