package io.fabricipam.ovs.flow;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The meter-mods that turn the meters a switch holds into the ones we intend. Meters carry no cookie, so
 * {@code owned} says which installed meter ids are ours to delete (those our own flows referenced); a
 * meter id we do not own is never deleted, only added or modified when we intend it. An installed
 * meter of a shape we cannot read maps to null: it occupies its id and differs from anything we intend.
 */
public record MeterDiff(List<MeterSpec> toAdd, List<MeterSpec> toModify, List<Long> toDelete) {

    public static MeterDiff between(Map<Long, MeterSpec> installed, Set<Long> owned, Collection<MeterSpec> intended) {
        Map<Long, MeterSpec> wanted = intended.stream().collect(Collectors.toMap(MeterSpec::meterId, Function.identity()));
        List<MeterSpec> add = intended.stream().filter(m -> !installed.containsKey(m.meterId()))
                .sorted(Comparator.comparingLong(MeterSpec::meterId)).toList();
        List<MeterSpec> modify = intended.stream()
                .filter(m -> installed.containsKey(m.meterId()) && !m.equals(installed.get(m.meterId())))
                .sorted(Comparator.comparingLong(MeterSpec::meterId)).toList();
        List<Long> delete = owned.stream().filter(id -> installed.containsKey(id) && !wanted.containsKey(id))
                .sorted().toList();
        return new MeterDiff(add, modify, delete);
    }

    public boolean isEmpty() {
        return toAdd.isEmpty() && toModify.isEmpty() && toDelete.isEmpty();
    }
}
