package io.fabricipam.api.scope;

import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.server.Utilization;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Address usage of a scope and of each of its pools. {@code warnings} name what is nearly or fully used
 * up: at 80% used a pool is "nearly exhausted", at 100% "exhausted" (Kea and AHV warn alike).
 */
public record UtilizationResponse(UUID scopeId, String name, Counts scope, List<Pool> pools, List<String> warnings) {

    public static final double WARNING_PERCENT = 80;

    public record Counts(long total, long bound, long offered, long reserved, long declined, long free, double usedPercent) {

        static Counts of(Utilization.Counts c) {
            return new Counts(c.total(), c.bound(), c.offered(), c.reserved(), c.declined(), c.free(),
                    Math.round(c.usedPercent() * 10) / 10.0);
        }
    }

    public record Pool(String start, String end, Counts counts) {
    }

    public static UtilizationResponse of(Scope scope, Utilization u) {
        List<Pool> pools = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Utilization.PoolCounts p : u.pools()) {
            Counts c = Counts.of(p.counts());
            pools.add(new Pool(p.range().start().toString(), p.range().end().toString(), c));
            warn(warnings, "pool " + p.range(), p.counts());
        }
        warn(warnings, "scope " + scope.name(), u.scope());
        return new UtilizationResponse(scope.id(), scope.name(), Counts.of(u.scope()), pools, warnings);
    }

    private static void warn(List<String> warnings, String what, Utilization.Counts c) {
        if (c.total() > 0 && c.free() == 0) {
            warnings.add(what + " is exhausted: no free address");
        } else if (c.usedPercent() >= WARNING_PERCENT) {
            warnings.add(what + " is nearly exhausted: " + c.free() + " of " + c.total() + " free");
        }
    }
}
