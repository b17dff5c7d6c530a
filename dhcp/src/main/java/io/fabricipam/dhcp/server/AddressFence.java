package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.scope.Scope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Addresses a scope must not hand out while an operator's change is being written to the store: those the
 * pending configuration would no longer allow, or a reservation's old address. With the fence up the scope
 * allocates only what both the old and the new configuration allow, so whichever way the write ends, no
 * client holds an address the outcome forbids. Immutable: sorted, disjoint, non-adjacent ranges of unsigned
 * addresses, looked up by binary search.
 */
final class AddressFence {

    private final long[] starts;
    private final long[] ends;

    private AddressFence(List<long[]> ranges) {
        starts = new long[ranges.size()];
        ends = new long[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            starts[i] = ranges.get(i)[0];
            ends[i] = ranges.get(i)[1];
        }
    }

    /** What {@code current}'s pools hold that {@code pending} would not give out dynamically. */
    static AddressFence between(Scope current, Scope pending) {
        List<long[]> allowed = subtract(merge(ranges(pending.pools())), merge(withheldBy(pending)));
        return new AddressFence(subtract(merge(ranges(current.pools())), allowed));
    }

    /** One address (a reservation's former address, while the move is written). */
    static AddressFence of(Ipv4Address address) {
        List<long[]> one = new ArrayList<>();
        one.add(new long[] {address.unsigned(), address.unsigned()});
        return new AddressFence(one);
    }

    boolean withholds(Ipv4Address address) {
        long a = address.unsigned();
        int i = Arrays.binarySearch(starts, a);
        if (i >= 0) {
            return true;
        }
        int before = -i - 2; // the last range starting below a
        return before >= 0 && a <= ends[before];
    }

    boolean isEmpty() {
        return starts.length == 0;
    }

    /** Every withheld address, as an offset in {@code scope}'s network (addresses outside it are skipped). */
    void forEachOffset(Scope scope, IntConsumer action) {
        long first = scope.network().address().unsigned();
        long last = scope.network().broadcast().unsigned();
        for (int i = 0; i < starts.length; i++) {
            for (long a = Math.max(starts[i], first); a <= Math.min(ends[i], last); a++) {
                action.accept((int) (a - first));
            }
        }
    }

    private static List<long[]> withheldBy(Scope scope) {
        List<long[]> out = ranges(scope.exclusions());
        if (scope.gateway() != null) {
            out.add(new long[] {scope.gateway().unsigned(), scope.gateway().unsigned()});
        }
        if (scope.serverIdentifier() != null) {
            out.add(new long[] {scope.serverIdentifier().unsigned(), scope.serverIdentifier().unsigned()});
        }
        return out;
    }

    private static List<long[]> ranges(List<AddressRange> list) {
        List<long[]> out = new ArrayList<>(list.size() + 2);
        for (AddressRange r : list) {
            out.add(new long[] {r.start().unsigned(), r.end().unsigned()});
        }
        return out;
    }

    /** Sorted and merged: overlapping or adjacent ranges become one. */
    private static List<long[]> merge(List<long[]> ranges) {
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> out = new ArrayList<>(ranges.size());
        for (long[] r : ranges) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(new long[] {r[0], r[1]});
            }
        }
        return out;
    }

    /** {@code a} minus {@code b}, both merged; the result is merged too. */
    private static List<long[]> subtract(List<long[]> a, List<long[]> b) {
        List<long[]> out = new ArrayList<>();
        int j = 0;
        for (long[] r : a) {
            long start = r[0];
            long end = r[1];
            while (j < b.size() && b.get(j)[1] < start) {
                j++;
            }
            int k = j;
            while (start <= end && k < b.size() && b.get(k)[0] <= end) {
                long[] cut = b.get(k);
                if (cut[0] > start) {
                    out.add(new long[] {start, cut[0] - 1});
                }
                start = Math.max(start, cut[1] + 1);
                k++;
            }
            if (start <= end) {
                out.add(new long[] {start, end});
            }
        }
        return out;
    }
}
