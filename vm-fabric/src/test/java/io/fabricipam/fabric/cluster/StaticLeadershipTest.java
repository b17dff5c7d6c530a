package io.fabricipam.fabric.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticLeadershipTest {

    @Test
    void aSingleHostLeadsWithEpochZeroFromStartToClose() {
        List<String> heard = new ArrayList<>();
        try (LeadershipService leadership = new StaticLeadership("solo")) {
            leadership.addListener((before, after) -> heard.add(before + "->" + after));
            assertThat(leadership.isLeading()).isFalse();
            assertThat(leadership.currentLeader().isKnown()).isFalse();

            leadership.start();

            assertThat(leadership.status()).isEqualTo(LeaderStatus.leading(0));
            assertThat(leadership.currentLeader().hostId()).hasValue("solo");
            assertThat(leadership.currentLeader().epoch()).hasValue(0);
            assertThatThrownBy(leadership::start).isInstanceOf(IllegalStateException.class);
        }
        assertThat(heard).containsExactly("FOLLOWER->LEADING(0)", "LEADING(0)->CLOSED");
    }
}
