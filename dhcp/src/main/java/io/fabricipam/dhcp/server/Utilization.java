package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.net.AddressRange;
import java.util.List;

/**
 * How a scope's addresses are used right now, in total and per pool. {@code total} counts the addresses
 * clients can get (pool addresses that are neither excluded nor special, plus reservations outside pools);
 * {@code free} = total - bound - offered - declined - reserved-and-unused.
 */
public record Utilization(Counts scope, List<PoolCounts> pools) {

    /** Counts over some set of addresses. {@code reserved} counts reservations whether in use or not. */
    public record Counts(long total, long bound, long offered, long reserved, long declined, long free) {

        /** Percentage of {@code total} that is not free, 0 for an empty set. */
        public double usedPercent() {
            return total == 0 ? 0 : 100.0 * (total - free) / total;
        }
    }

    public record PoolCounts(AddressRange range, Counts counts) {
    }
}
