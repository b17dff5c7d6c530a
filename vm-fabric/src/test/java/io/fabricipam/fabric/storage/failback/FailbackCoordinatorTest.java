package io.fabricipam.fabric.storage.failback;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.redirect.SessionLog;
import io.fabricipam.fabric.storage.redirect.SessionOutcome;
import io.fabricipam.fabric.storage.redirect.SessionRecord;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.LatencySummary;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetSpec;
import io.fabricipam.fabric.storage.target.TargetStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coordinator with a fake admin driver and a hand-moved clock. */
class FailbackCoordinatorTest {

    private static final String IQN = "iqn.2024-01.io.fabricipam:vm-disk-1";
    private static final String QEMU = "iqn.2008-11.org.linux-kvm:vm-1";
    private static final String PROBE = "iqn.2024-01.io.fabricipam:health-probe";
    private static final TargetSpec LOCAL = new TargetSpec("local", Portal.parse("127.0.0.1:3260"), true, List.of(), "41");
    private static final TargetSpec REMOTE = new TargetSpec("remote", Portal.parse("10.0.0.2:3260"), false, List.of(), "42");

    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private HealthState localHealth = HealthState.UNAVAILABLE;
    private final SessionLog log = new SessionLog(100);
    private final List<TargetConnection> remoteConnections = new ArrayList<>();
    private final List<TargetConnection> dropped = new ArrayList<>();
    private final TargetAdminDriver driver = new TargetAdminDriver() {
        @Override
        public boolean manages(TargetSpec target) {
            return target.admin() != null;
        }

        @Override
        public List<TargetConnection> connections(TargetSpec target) throws IOException {
            return target.equals(REMOTE) ? List.copyOf(remoteConnections) : List.of();
        }

        @Override
        public void drop(TargetSpec target, TargetConnection connection) {
            dropped.add(connection);
            remoteConnections.remove(connection);
        }
    };
    private final FailbackCoordinator coordinator = new FailbackCoordinator(this::statuses, driver, log,
            new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneId.of("UTC");
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            }, FailbackSettings.DEFAULT.withHoldDown(Duration.ofSeconds(10)), PROBE);

    private List<TargetStatus> statuses() {
        return List.of(status(LOCAL, localHealth), status(REMOTE, HealthState.HEALTHY));
    }

    private static TargetStatus status(TargetSpec spec, HealthState health) {
        return new TargetStatus(spec, health, Instant.EPOCH, "test", LatencySummary.NONE, List.of(IQN));
    }

    private void redirected(String initiator, String target) {
        log.record(new SessionRecord(now, "127.0.0.1:1000", initiator, "800000000001", "Normal", IQN,
                SessionOutcome.REDIRECTED, target, "x:3260", "test"));
    }

    private static TargetConnection connection(String initiator, String sid) {
        return new TargetConnection(IQN, initiator, "10.0.0.1", "1", sid, "0");
    }

    private void advance(Duration d) {
        now = now.plus(d);
    }

    @Test
    void dropsARedirectedInitiatorOnTheRemoteOnlyAfterTheHoldDown() {
        redirected(QEMU, "remote");
        remoteConnections.add(connection(QEMU, "5"));
        remoteConnections.add(connection(PROBE, "6"));
        assertThat(coordinator.candidates()).containsExactly(QEMU);

        localHealth = HealthState.HEALTHY;
        assertThat(coordinator.tick()).isZero();
        advance(Duration.ofSeconds(9));
        assertThat(coordinator.tick()).isZero();
        assertThat(coordinator.policyStates()).containsEntry("local", FailbackPolicy.State.HOLDING_DOWN);
        advance(Duration.ofSeconds(1));
        assertThat(coordinator.tick()).isEqualTo(1);

        assertThat(dropped).containsExactly(connection(QEMU, "5"));
        assertThat(log.recent()).last().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(SessionOutcome.DROPPED_FOR_FAILBACK);
            assertThat(r.initiatorName()).isEqualTo(QEMU);
            assertThat(r.chosenTarget()).isEqualTo("remote");
            assertThat(r.reason()).startsWith("local target 'local' healthy for 10000 ms (hold-down 10000 ms)");
        });
        // the initiator comes back through the redirector to the local target and is forgotten
        redirected(QEMU, "local");
        assertThat(coordinator.candidates()).isEmpty();
    }

    @Test
    void leavesInitiatorsTheRedirectorNeverSentAwayAlone() {
        redirected(QEMU, "remote");
        remoteConnections.add(connection("iqn.2008-11.org.linux-kvm:other-host", "7"));
        localHealth = HealthState.HEALTHY;
        coordinator.tick();
        advance(Duration.ofSeconds(11));
        coordinator.tick();
        assertThat(dropped).isEmpty();
    }

    @Test
    void aFlappingLocalTargetNeverTriggersAFailback() {
        redirected(QEMU, "remote");
        remoteConnections.add(connection(QEMU, "5"));
        for (int i = 0; i < 10; i++) {
            localHealth = HealthState.HEALTHY;
            coordinator.tick();
            advance(Duration.ofSeconds(8));
            coordinator.tick();
            localHealth = HealthState.DEGRADED;
            coordinator.tick();
            advance(Duration.ofSeconds(1));
        }
        assertThat(dropped).isEmpty();
    }

    @Test
    void doesNothingWhileNoInitiatorWasSentAway() {
        remoteConnections.add(connection(QEMU, "5"));
        localHealth = HealthState.HEALTHY;
        coordinator.tick();
        advance(Duration.ofSeconds(20));
        assertThat(coordinator.tick()).isZero();
        assertThat(dropped).isEmpty();
    }

    @Test
    void forgetsAnInitiatorNotSeenOnAnyRemoteAfterAWhile() {
        redirected(QEMU, "remote"); // it never logged in there, or left on its own
        localHealth = HealthState.HEALTHY;
        coordinator.tick();
        advance(Duration.ofSeconds(11));
        coordinator.tick();
        assertThat(coordinator.candidates()).containsExactly(QEMU); // may still be logging in
        advance(Duration.ofSeconds(30));
        coordinator.tick();
        assertThat(coordinator.candidates()).isEmpty();
    }
}
