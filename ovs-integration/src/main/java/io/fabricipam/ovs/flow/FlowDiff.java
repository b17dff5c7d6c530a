package io.fabricipam.ovs.flow;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The flow-mods that turn what a switch holds into what we intend, touching nothing that is already right.
 * A flow whose key stays but whose actions change is only re-added (an add with an existing key replaces
 * it), never deleted first, so there is no moment in which its packets hit the table-miss. Flows that are
 * already exactly right are not sent at all, which keeps their packet counters.
 */
public record FlowDiff(List<FlowSpec> toAdd, List<FlowSpec> toDelete) {

    public FlowDiff {
        toAdd = toAdd.stream().sorted(FlowText.ORDER).toList();
        toDelete = toDelete.stream().sorted(FlowText.ORDER).toList();
    }

    public static FlowDiff between(Collection<FlowSpec> installed, Collection<FlowSpec> intended) {
        Set<FlowSpec> have = new HashSet<>(installed);
        Set<FlowKey> wantedKeys = intended.stream().map(FlowSpec::key).collect(Collectors.toSet());
        List<FlowSpec> add = intended.stream().filter(f -> !have.contains(f)).distinct().toList();
        List<FlowSpec> delete = installed.stream().filter(f -> !wantedKeys.contains(f.key())).distinct().toList();
        return new FlowDiff(add, delete);
    }

    public boolean isEmpty() {
        return toAdd.isEmpty() && toDelete.isEmpty();
    }

    @Override
    public String toString() {
        return "+" + toAdd.size() + " -" + toDelete.size();
    }
}
