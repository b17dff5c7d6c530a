package io.fabricipam.fabric.storage.failback;

import io.fabricipam.fabric.storage.redirect.SessionLog;
import io.fabricipam.fabric.storage.redirect.SessionOutcome;
import io.fabricipam.fabric.storage.redirect.SessionRecord;
import io.fabricipam.fabric.storage.target.PathChoice;
import io.fabricipam.fabric.storage.target.PathSelector;
import io.fabricipam.fabric.storage.target.TargetStatus;
import io.fabricipam.fabric.storage.text.SafeText;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves sessions back to the local target once it is healthy again. It remembers the
 * initiators the redirector sent to remote targets (they are this host's initiators: the
 * redirector listens on loopback), and on each {@link #tick()} where a local target's
 * {@link FailbackPolicy} is ARMED it lists the remote targets' connections through the
 * {@link TargetAdminDriver} and drops those of remembered initiators for which a fresh login
 * would now go to that local target. The initiator sees its connection close, logs in again
 * through the redirector and lands locally.
 *
 * <p>Never dropped: the health probe's own sessions, initiators the redirector did not send
 * away, and sessions whose IQN the local target does not export.
 */
public final class FailbackCoordinator {

    private static final Logger log = LoggerFactory.getLogger(FailbackCoordinator.class);

    private final Supplier<List<TargetStatus>> targets;
    private final TargetAdminDriver driver;
    private final SessionLog sessions;
    private final Clock clock;
    private final FailbackSettings settings;
    private final String probeInitiatorName;
    private final Map<String, FailbackPolicy> policies = new HashMap<>();
    /** Initiator name -> when it was last sent to a remote target. */
    private final Map<String, Instant> sentAway = new ConcurrentHashMap<>();
    private final Map<String, String> lastErrors = new HashMap<>();
    private Instant lastSweep = Instant.MIN;

    public FailbackCoordinator(Supplier<List<TargetStatus>> targets, TargetAdminDriver driver, SessionLog sessions,
                               Clock clock, FailbackSettings settings, String probeInitiatorName) {
        this.targets = targets;
        this.driver = driver;
        this.sessions = sessions;
        this.clock = clock;
        this.settings = settings;
        this.probeInitiatorName = probeInitiatorName;
        sessions.addListener(this::onSession);
    }

    private void onSession(SessionRecord record) {
        if (record.outcome() != SessionOutcome.REDIRECTED || record.initiatorName() == null) {
            return;
        }
        boolean toLocal = targets.get().stream().anyMatch(t -> t.name().equals(record.chosenTarget()) && t.spec().local());
        if (toLocal) {
            sentAway.remove(record.initiatorName());
        } else {
            sentAway.put(record.initiatorName(), record.at());
        }
    }

    /** Initiators currently remembered as sent to a remote target. */
    public Set<String> candidates() {
        return Set.copyOf(sentAway.keySet());
    }

    /** The hold-down state of each local target, by name. */
    public synchronized Map<String, FailbackPolicy.State> policyStates() {
        Map<String, FailbackPolicy.State> states = new HashMap<>();
        policies.forEach((name, policy) -> states.put(name, policy.state()));
        return states;
    }

    /** Advances the hold-down timers and, when due, sweeps the remote targets. Returns the connections dropped. */
    public synchronized int tick() {
        Instant now = clock.instant();
        List<TargetStatus> statuses = targets.get();
        Set<String> armed = new HashSet<>();
        Set<String> locals = new HashSet<>();
        for (TargetStatus target : statuses) {
            if (target.spec().local()) {
                locals.add(target.name());
                FailbackPolicy policy = policies.computeIfAbsent(target.name(), n -> new FailbackPolicy(settings.holdDown()));
                if (policy.observe(target.health(), now) == FailbackPolicy.State.ARMED) {
                    armed.add(target.name());
                }
            }
        }
        policies.keySet().retainAll(locals);
        if (!settings.enabled() || armed.isEmpty() || sentAway.isEmpty() || now.isBefore(lastSweep.plus(settings.sweepEvery()))) {
            return 0;
        }
        lastSweep = now;
        return sweep(statuses, armed, now);
    }

    private int sweep(List<TargetStatus> statuses, Set<String> armed, Instant now) {
        int dropped = 0;
        Set<String> droppedInitiators = new HashSet<>();
        for (TargetStatus remote : statuses) {
            if (remote.spec().local() || !driver.manages(remote.spec())) {
                continue;
            }
            List<TargetConnection> connections;
            try {
                connections = driver.connections(remote.spec());
                lastErrors.remove(remote.name());
            } catch (IOException e) {
                warnOnce(remote.name(), "cannot list the connections of remote target " + remote.name(), e);
                continue;
            }
            for (TargetConnection connection : connections) {
                if (dropped >= settings.maxDropsPerSweep()) {
                    return dropped;
                }
                if (connection.initiatorName() == null || connection.initiatorName().equals(probeInitiatorName)
                        || !sentAway.containsKey(connection.initiatorName())) {
                    continue;
                }
                PathChoice choice = PathSelector.choose(connection.targetName(), statuses);
                if (choice.verdict() != PathChoice.Verdict.REDIRECT || !armed.contains(choice.target().name())) {
                    continue;
                }
                if (drop(remote, connection, choice.target(), now)) {
                    dropped++;
                    droppedInitiators.add(connection.initiatorName());
                }
            }
        }
        Instant forgetBefore = now.minus(settings.rememberFor());
        sentAway.entrySet().removeIf(e -> !droppedInitiators.contains(e.getKey()) && e.getValue().isBefore(forgetBefore));
        return dropped;
    }

    private boolean drop(TargetStatus remote, TargetConnection connection, TargetStatus local, Instant now) {
        FailbackPolicy policy = policies.get(local.name());
        Duration healthyFor = Duration.between(policy.healthySince(), now);
        String reason = "local target '" + local.name() + "' healthy for " + healthyFor.toMillis() + " ms (hold-down "
                + settings.holdDown().toMillis() + " ms): dropped connection " + connection.sessionId() + "/"
                + connection.connectionId() + " on remote target '" + remote.name()
                + "' so that the initiator logs in again through the redirector and lands locally";
        try {
            driver.drop(remote.spec(), connection);
        } catch (IOException e) {
            warnOnce(remote.name(), "cannot drop a connection on remote target " + remote.name(), e);
            return false;
        }
        sessions.record(new SessionRecord(now, connection.initiatorAddress(), connection.initiatorName(), null, "Normal",
                connection.targetName(), SessionOutcome.DROPPED_FOR_FAILBACK, remote.name(),
                remote.spec().portal().toString(), reason));
        return true;
    }

    private void warnOnce(String target, String what, IOException e) {
        if (!String.valueOf(e.getMessage()).equals(lastErrors.put(target, String.valueOf(e.getMessage())))) {
            log.warn("{}: {}", SafeText.log(what), SafeText.log(e.getMessage())); // tgtadm's output names initiators
        }
    }
}
