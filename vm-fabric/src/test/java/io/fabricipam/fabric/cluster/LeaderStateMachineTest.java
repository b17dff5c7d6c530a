package io.fabricipam.fabric.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.cluster.LeaderStateMachine.Action;
import io.fabricipam.fabric.cluster.LeaderStateMachine.Step;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaderStateMachineTest {

    private final LeaderStateMachine machine = new LeaderStateMachine(Duration.ofMillis(250), Duration.ofSeconds(2));

    @Test
    void theLatchLeadsToAClaimAndOnlyTheClaimLeadsToLeading() {
        assertThat(machine.status()).isEqualTo(LeaderStatus.FOLLOWER);

        Step acquired = machine.latchAcquired();
        assertThat(acquired.after()).isEqualTo(LeaderStatus.CLAIMING);
        assertThat(acquired.after().isLeading()).isFalse();
        assertThat(acquired.action()).isEqualTo(Action.CLAIM);

        Step claimed = machine.claimSucceeded(acquired.ticket(), 12);
        assertThat(claimed.before()).isEqualTo(LeaderStatus.CLAIMING);
        assertThat(claimed.after()).isEqualTo(LeaderStatus.leading(12));
        assertThat(claimed.after().leadingEpoch()).hasValue(12);
        assertThat(claimed.action()).isEqualTo(Action.NONE);
    }

    @Test
    void aSuspensionStopsTheLeaderAndACalledOffClaimDoesNotLeadLater() {
        Step first = machine.latchAcquired();
        machine.claimSucceeded(first.ticket(), 1);

        Step suspended = machine.connectionInterrupted();
        assertThat(suspended.before().isLeading()).isTrue();
        assertThat(suspended.after()).isEqualTo(LeaderStatus.SUSPENDED);

        // the latch drops too (standard error policy), then the connection comes back with the latch held again
        assertThat(machine.latchReleased().changed()).isFalse();
        Step again = machine.latchAcquired();
        assertThat(again.action()).isEqualTo(Action.NONE);
        assertThat(machine.status()).isEqualTo(LeaderStatus.SUSPENDED);
        Step reconnected = machine.reconnected();
        assertThat(reconnected.after()).isEqualTo(LeaderStatus.CLAIMING);
        assertThat(reconnected.action()).isEqualTo(Action.CLAIM);

        // a suspension during the claim: its answer no longer counts, even after reconnecting
        machine.connectionInterrupted();
        machine.latchReleased();
        assertThat(machine.reconnected().after()).isEqualTo(LeaderStatus.FOLLOWER);
        assertThat(machine.claimSucceeded(reconnected.ticket(), 2).changed()).isFalse();
        assertThat(machine.status()).isEqualTo(LeaderStatus.FOLLOWER);
    }

    @Test
    void aLateAnswerToAnOlderClaimIsIgnored() {
        Step first = machine.latchAcquired();
        machine.latchReleased();
        Step second = machine.latchAcquired();
        assertThat(second.ticket()).isNotEqualTo(first.ticket());

        assertThat(machine.claimSucceeded(first.ticket(), 5).changed()).isFalse();
        assertThat(machine.claimFailed(first.ticket()).action()).isEqualTo(Action.NONE);
        assertThat(machine.status()).isEqualTo(LeaderStatus.CLAIMING);
        assertThat(machine.claimSucceeded(second.ticket(), 6).after()).isEqualTo(LeaderStatus.leading(6));
    }

    @Test
    void aFailedClaimGivesTheLatchBackWithADoublingBoundedBackoff() {
        long[] expectedMillis = {250, 500, 1000, 2000, 2000};
        for (long expected : expectedMillis) {
            Step acquired = machine.latchAcquired();
            Step failed = machine.claimFailed(acquired.ticket());
            assertThat(failed.after()).isEqualTo(LeaderStatus.FOLLOWER);
            assertThat(failed.action()).isEqualTo(Action.GIVE_BACK);
            assertThat(failed.backoff()).isEqualTo(Duration.ofMillis(expected));
        }
        assertThat(machine.failedClaims()).isEqualTo(5);

        Step acquired = machine.latchAcquired();
        machine.claimSucceeded(acquired.ticket(), 3);
        assertThat(machine.failedClaims()).isZero();
        assertThat(machine.backoff(1000)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aNegativeEpochIsAFailedClaim() {
        Step acquired = machine.latchAcquired();

        Step step = machine.claimSucceeded(acquired.ticket(), -1);

        assertThat(step.action()).isEqualTo(Action.GIVE_BACK);
        assertThat(step.after()).isEqualTo(LeaderStatus.FOLLOWER);
    }

    @Test
    void losingTheLatchWhileLeadingOrClaimingMakesAFollower() {
        Step acquired = machine.latchAcquired();
        assertThat(machine.latchReleased().after()).isEqualTo(LeaderStatus.FOLLOWER);
        assertThat(machine.claimSucceeded(acquired.ticket(), 1).changed()).isFalse();

        Step again = machine.latchAcquired();
        machine.claimSucceeded(again.ticket(), 2);
        Step released = machine.latchReleased();
        assertThat(released.before()).isEqualTo(LeaderStatus.leading(2));
        assertThat(released.after()).isEqualTo(LeaderStatus.FOLLOWER);
    }

    @Test
    void closedIsTerminal() {
        Step acquired = machine.latchAcquired();
        machine.claimSucceeded(acquired.ticket(), 4);

        Step closed = machine.close();
        assertThat(closed.before().isLeading()).isTrue();
        assertThat(closed.after()).isEqualTo(LeaderStatus.CLOSED);

        assertThat(machine.latchAcquired().action()).isEqualTo(Action.NONE);
        assertThat(machine.connectionInterrupted().changed()).isFalse();
        assertThat(machine.reconnected().changed()).isFalse();
        assertThat(machine.latchReleased().changed()).isFalse();
        assertThat(machine.status()).isEqualTo(LeaderStatus.CLOSED);
    }

    @Test
    void reconnectingWithoutTheLatchIsAFollowerAndAReconnectOutsideSuspensionDoesNothing() {
        assertThat(machine.reconnected().changed()).isFalse();
        machine.connectionInterrupted();
        assertThat(machine.status()).isEqualTo(LeaderStatus.SUSPENDED);
        assertThat(machine.reconnected().after()).isEqualTo(LeaderStatus.FOLLOWER);
    }
}
