package io.fabricipam.fabric.storage.target;

import io.fabricipam.fabric.storage.target.PathChoice.Verdict;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Chooses the target a login goes to, from the targets' latest status, and says why. Pure: the
 * same statuses always give the same choice and the same words.
 *
 * <p>Among the usable targets that export the name asked for, in {@link #PREFERENCE} order:
 * {@link PathState#ACTIVE_OPTIMIZED} (local, healthy) &gt; {@link PathState#ACTIVE_NON_OPTIMIZED}
 * (remote, healthy) &gt; {@link PathState#DEGRADED} (local first); an unavailable target is never
 * chosen. Ties go to the lower NOP latency, then to the name, so that the choice is stable.
 */
public final class PathSelector {

    /** Best first: path state, local before remote, lower average NOP latency, name. */
    public static final Comparator<TargetStatus> PREFERENCE = Comparator.comparing(TargetStatus::pathState)
            .thenComparing(s -> !s.spec().local())
            // not measured yet: behind every measured target, not ahead of them
            .thenComparing(s -> s.latency().ewma() == null ? Duration.ofDays(1) : s.latency().ewma())
            .thenComparing(TargetStatus::name);

    private PathSelector() {
    }

    /**
     * Where a normal-session login for {@code iqn} goes, given every registered target.
     * {@link Verdict#NO_USABLE_TARGET} also covers targets whose IQNs are not known yet (none
     * configured, none discovered so far): the name may well be theirs, so the initiator is told
     * to retry rather than that the name does not exist.
     */
    public static PathChoice choose(String iqn, List<TargetStatus> targets) {
        if (targets.isEmpty()) {
            return new PathChoice(Verdict.NO_USABLE_TARGET, null, "no storage target is registered");
        }
        List<TargetStatus> exporting = targets.stream().filter(t -> t.exports(iqn)).toList();
        List<TargetStatus> usable = exporting.stream().filter(TargetStatus::usable).sorted(PREFERENCE).toList();
        if (!usable.isEmpty()) {
            TargetStatus best = usable.get(0);
            StringBuilder explanation = new StringBuilder(describe(best));
            // a healthy remote behind the chosen one is just an alternative; a local or broken one is worth a word
            List<TargetStatus> passedOver = exporting.stream()
                    .filter(t -> t != best && (t.spec().local() || !t.usable())).toList();
            if (!passedOver.isEmpty()) {
                explanation.append("; passed over: ").append(passedOver.stream().sorted(PREFERENCE)
                        .map(PathSelector::describe).collect(Collectors.joining("; ")));
            }
            return new PathChoice(Verdict.REDIRECT, best, explanation.toString());
        }
        List<TargetStatus> undiscovered = targets.stream().filter(t -> t.iqns().isEmpty()).toList();
        if (exporting.isEmpty() && undiscovered.isEmpty()) {
            return new PathChoice(Verdict.UNKNOWN_TARGET_NAME, null, "no registered target exports " + iqn);
        }
        // name the targets that could have served the login, so that the log says what to repair
        List<TargetStatus> candidates = exporting.isEmpty() ? undiscovered : exporting;
        return new PathChoice(Verdict.NO_USABLE_TARGET, null, "no usable target for " + iqn + ": "
                + candidates.stream().sorted(PREFERENCE).map(PathSelector::describe).collect(Collectors.joining("; ")));
    }

    /**
     * The IQNs a discovery session lists: those of the usable targets (degraded ones included,
     * since they still take logins as a last resort), each once, sorted.
     */
    public static List<String> advertisedIqns(List<TargetStatus> targets) {
        return targets.stream().filter(TargetStatus::usable).flatMap(t -> t.iqns().stream()).distinct().sorted()
                .toList();
    }

    /**
     * One target in words, e.g. "local target 'local' (127.0.0.1:3260) healthy: active/optimized,
     * preferred", or "remote target 'remote' (10.0.0.2:3260) degraded (ping missed: timed out):
     * degraded, used only while no target is healthy".
     */
    public static String describe(TargetStatus t) {
        String head = (t.spec().local() ? "local" : "remote") + " target '" + t.name() + "' (" + t.spec().portal()
                + ") " + t.health().name().toLowerCase();
        String why = t.health() == HealthState.HEALTHY ? "" : " (" + t.reason() + ")";
        return head + why + ": " + explainState(t.pathState());
    }

    public static String explainState(PathState state) {
        return switch (state) {
            case ACTIVE_OPTIMIZED -> "active/optimized, preferred";
            case ACTIVE_NON_OPTIMIZED -> "active/non-optimized, used while no local target is healthy";
            case DEGRADED -> "degraded, used only while no target is healthy";
            case UNAVAILABLE -> "unavailable, never chosen";
        };
    }
}
