package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Which of a scope's pools contain an address, for {@link ScopeState#utilization}: the pools sorted by start,
 * with the furthest end reached so far, so a look-up is a binary search plus a walk back over the pools that
 * still reach the address (one, unless pools overlap, which validation refuses but an old store may hold).
 * Immutable once built.
 */
final class PoolIndex {

    private final int[] byStart;
    private final long[] starts;
    private final long[] reach;
    private final List<AddressRange> pools;

    PoolIndex(List<AddressRange> pools) {
        this.pools = pools;
        Integer[] order = new Integer[pools.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing((Integer i) -> pools.get(i).start()));
        byStart = new int[order.length];
        starts = new long[order.length];
        reach = new long[order.length];
        long furthest = -1;
        for (int k = 0; k < order.length; k++) {
            byStart[k] = order[k];
            starts[k] = pools.get(order[k]).start().unsigned();
            furthest = Math.max(furthest, pools.get(order[k]).end().unsigned());
            reach[k] = furthest;
        }
    }

    /** Calls {@code action} with the index (in the scope's list) of every pool containing {@code address}. */
    void forEachContaining(Ipv4Address address, IntConsumer action) {
        long a = address.unsigned();
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= a) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        for (int k = hi; k >= 0 && reach[k] >= a; k--) {
            if (pools.get(byStart[k]).end().unsigned() >= a) {
                action.accept(byStart[k]);
            }
        }
    }
}
